import { amount, eventIdOf, list, obj, str, type Candidate, type Mapping, type MappingOptions } from './delivery';

/**
 * Shopify webhooks (Admin API payloads) → tactful's events. Checkouts are carts (the checkout `token`
 * is the cart id, `abandoned_checkout_url` the link), orders end them through `checkout_token`,
 * customers are profiles, the email marketing consent topic is consent, and the three compliance
 * topics are erasures and a data request.
 */

export const SHOPIFY_TOPICS = [
  'checkouts/create',
  'checkouts/update',
  'orders/create',
  'orders/paid',
  'customers/create',
  'customers/update',
  'customers_email_marketing_consent/update',
  'customers/redact',
  'shop/redact',
  'customers/data_request',
] as const;

/** Our field names as Shopify's, so an error names the field the shop can find in its payload. */
export const SHOPIFY_FIELD_NAMES: Record<string, string> = {
  customerId: 'customer.id',
  occurredAt: 'updated_at',
  'data.cartUrl': 'abandoned_checkout_url',
  'data.items': 'line_items',
  'data.email': 'email',
  'data.firstName': 'first_name',
  'data.lastName': 'last_name',
  'data.country': 'default_address.country_code',
  'data.total': 'total_price',
  'data.currency': 'currency',
  'data.orderId': 'id',
};

function lineItems(payload: Record<string, unknown>, currency: string | undefined) {
  return list(payload['line_items']).map((raw) => {
    const line = obj(raw);
    return {
      sku: str(line['sku']) ?? (str(line['variant_id']) ? `variant-${str(line['variant_id'])}` : str(line['product_id'])),
      name: str(line['title']) ?? str(line['name']),
      price: amount(line['price']),
      currency,
      qty: typeof line['quantity'] === 'number' ? line['quantity'] : undefined,
    };
  });
}

const customerIdOf = (payload: Record<string, unknown>): string | undefined =>
  str(obj(payload['customer'])['id']) ?? str(payload['customer_id']);

function checkout(topic: string, payload: Record<string, unknown>): Candidate {
  const token = str(payload['token']);
  const ref = `checkout ${token ?? '(no token)'}`;
  const customerId = customerIdOf(payload);
  if (!customerId) return { ref, ignored: 'checkout without a customer' };
  const occurredAt = str(payload['updated_at']) ?? str(payload['created_at']);
  // A completed checkout became an order: the cart is empty now, which ends its reminders.
  const completed = str(payload['completed_at']) !== undefined;
  const currency = str(payload['presentment_currency']) ?? str(payload['currency']);
  return {
    ref,
    event: {
      id: eventIdOf('shopify', 'checkout', token ?? '-', occurredAt ?? '-', completed ? 'completed' : (topic.split('/')[1] ?? '')),
      type: 'cart.updated',
      customerId,
      occurredAt,
      data: { cartId: token, cartUrl: str(payload['abandoned_checkout_url']), items: completed ? [] : lineItems(payload, currency) },
    },
  };
}

function order(payload: Record<string, unknown>): Candidate {
  const orderId = str(payload['id']);
  const ref = `order ${orderId ?? '(no id)'}`;
  const customerId = customerIdOf(payload);
  if (!customerId) return { ref, ignored: 'order without a customer' };
  const currency = str(payload['presentment_currency']) ?? str(payload['currency']);
  return {
    ref,
    // orders/create and orders/paid are the same order: one event id, so the order counts once.
    event: {
      id: eventIdOf('shopify', 'order', orderId ?? '-'),
      type: 'order.placed',
      customerId,
      occurredAt: str(payload['processed_at']) ?? str(payload['created_at']),
      data: {
        orderId,
        cartId: str(payload['checkout_token']),
        items: lineItems(payload, currency),
        total: amount(payload['total_price']),
        currency,
      },
    },
  };
}

function customer(payload: Record<string, unknown>): Candidate {
  const id = str(payload['id']);
  const ref = `customer ${id ?? '(no id)'}`;
  const address = obj(payload['default_address']);
  const occurredAt = str(payload['updated_at']) ?? str(payload['created_at']);
  return {
    ref,
    event: {
      id: eventIdOf('shopify', 'customer', id ?? '-', occurredAt ?? '-'),
      type: 'customer.upserted',
      customerId: id,
      occurredAt,
      // Names and the country only: phone, addresses, notes and tags stay at the door.
      data: {
        email: str(payload['email']),
        firstName: str(payload['first_name']),
        lastName: str(payload['last_name']),
        locale: str(payload['locale']),
        country: str(address['country_code']),
      },
    },
  };
}

const CONSENT_STATES: Record<string, 'granted' | 'withdrawn'> = { subscribed: 'granted', unsubscribed: 'withdrawn', redacted: 'withdrawn' };

function consent(payload: Record<string, unknown>, options: MappingOptions): Candidate[] {
  const customerId = str(payload['customer_id']);
  const consent = obj(payload['email_marketing_consent']);
  const state = str(consent['state']);
  const ref = `customer ${customerId ?? '(no id)'}`;
  const status = state ? CONSENT_STATES[state] : undefined;
  if (!status) return [{ ref, ignored: `consent state ${state && /^[a-z_]{1,32}$/.test(state) ? state : 'unknown'} records nothing` }];
  const at = str(consent['consent_updated_at']);
  const level = str(consent['opt_in_level']) ?? 'unknown';
  return options.shopifyConsentTopics.map((topic) => ({
    ref,
    event: {
      id: eventIdOf('shopify', 'consent', customerId ?? '-', at ?? '-', state!, topic),
      type: 'consent.changed',
      customerId,
      occurredAt: at,
      data: {
        topic,
        status,
        source: 'shopify',
        policyVersion: options.policyVersion,
        textShown: `Shopify email marketing consent: ${state}, opt_in_level ${level}, consent_updated_at ${at ?? 'unknown'}`,
      },
    },
  }));
}

/** One webhook delivery: its topic (X-Shopify-Topic) and parsed body. */
export function mapShopify(topic: string, body: unknown, options: MappingOptions): Mapping {
  const payload = obj(body);
  switch (topic) {
    case 'checkouts/create':
    case 'checkouts/update':
      return { candidates: [checkout(topic, payload)], actions: [] };
    case 'orders/create':
    case 'orders/paid':
      return { candidates: [order(payload)], actions: [] };
    case 'customers/create':
    case 'customers/update':
      return { candidates: [customer(payload)], actions: [] };
    case 'customers_email_marketing_consent/update':
      return { candidates: consent(payload, options), actions: [] };
    case 'customers/redact': {
      const customerId = customerIdOf(payload);
      return customerId
        ? { candidates: [], actions: [{ kind: 'erase', customerId }] }
        : { candidates: [{ ref: topic, errors: [{ path: 'customer.id', message: 'is required' }] }], actions: [] };
    }
    case 'shop/redact':
      return {
        candidates: [],
        actions: [{ kind: 'erase-shop', shop: str(payload['shop_domain']) ?? str(payload['shop_id']) ?? 'unknown' }],
      };
    case 'customers/data_request': {
      const customerId = customerIdOf(payload);
      const requestId = str(obj(payload['data_request'])['id']);
      return customerId
        ? { candidates: [], actions: [{ kind: 'data-request', customerId, ...(requestId ? { requestId } : {}) }] }
        : { candidates: [{ ref: topic, errors: [{ path: 'customer.id', message: 'is required' }] }], actions: [] };
    }
    default:
      return { candidates: [{ ref: topic || '(no topic)', ignored: 'topic not used by tactful' }], actions: [] };
  }
}
