import { MARKETING_TOPICS, type MarketingTopic } from '../events/events';
import { amount, eventIdOf, list, obj, str, type Candidate, type Mapping, type MappingOptions } from './delivery';

/**
 * Segment-spec messages (Segment's HTTP tracking API, its Webhooks destination, RudderStack) →
 * tactful's events, following the E-commerce Spec v2. The customer is `userId`; a message with only an
 * `anonymousId` is acknowledged and not stored. `page` and `screen` are acknowledged and dropped.
 */

export const SEGMENT_FIELD_NAMES: Record<string, string> = {
  customerId: 'userId',
  occurredAt: 'timestamp',
  'data.email': 'traits.email',
  'data.firstName': 'traits.firstName',
  'data.lastName': 'traits.lastName',
  'data.country': 'traits.address.country',
  'data.locale': 'traits.locale',
  'data.items': 'properties.products',
  'data.item': 'properties',
  'data.cartUrl': 'properties.cart_id (through CART_URL_TEMPLATE)',
  'data.cartId': 'properties.cart_id',
  'data.orderId': 'properties.order_id',
  'data.total': 'properties.total',
  'data.currency': 'properties.currency',
  'data.sku': 'properties.sku',
  'data.name': 'properties.name',
  'data.price': 'properties.price',
};

export const CONSENT_EVENT = 'Segment Consent Preference Updated';

function product(raw: unknown, currency: unknown, defaultCurrency: string) {
  const p = obj(raw);
  return {
    sku: str(p['sku']) ?? str(p['product_id']) ?? str(p['id']),
    name: str(p['name']),
    price: amount(p['price']),
    currency: str(currency) ?? str(p['currency']) ?? defaultCurrency,
    qty: p['quantity'] === undefined ? 1 : p['quantity'],
    ...(str(p['image_url']) ? { imageUrl: str(p['image_url']) } : {}),
    ...(str(p['url']) ? { url: str(p['url']) } : {}),
  };
}

function cartUrl(cartId: string | undefined, options: MappingOptions): string | undefined {
  if (!options.cartUrlTemplate) return undefined;
  return options.cartUrlTemplate.replace('{cart_id}', encodeURIComponent(cartId ?? ''));
}

/** Consent from traits or a consent event's categories: each configured name maps to its topics. */
function consentCandidates(
  base: { id: string; customerId: string; occurredAt: unknown; ref: string },
  values: Record<string, unknown>,
  options: MappingOptions,
): Candidate[] {
  const out: Candidate[] = [];
  const decided = new Map<MarketingTopic, boolean>();
  for (const [name, topics] of Object.entries(options.segmentConsentTraits)) {
    const value = values[name];
    if (typeof value !== 'boolean') continue;
    for (const topic of topics) decided.set(topic, value);
  }
  for (const [topic, granted] of decided) {
    out.push({
      ref: base.ref,
      event: {
        id: eventIdOf(base.id, 'consent', topic),
        type: 'consent.changed',
        customerId: base.customerId,
        occurredAt: base.occurredAt,
        data: {
          topic,
          status: granted ? 'granted' : 'withdrawn',
          source: 'segment',
          policyVersion: options.policyVersion,
          textShown: `Segment: ${Object.keys(values)
            .filter((k) => k in options.segmentConsentTraits)
            .join(', ')}`,
        },
      },
    });
  }
  return out;
}

function identify(
  message: Record<string, unknown>,
  base: { id: string; customerId: string; occurredAt: unknown; ref: string },
  options: MappingOptions,
): Candidate[] {
  const traits = obj(message['traits']);
  const context = obj(message['context']);
  const candidates: Candidate[] = [];
  if (traits['email'] !== undefined) {
    candidates.push({
      ref: base.ref,
      event: {
        id: eventIdOf(base.id, 'profile'),
        type: 'customer.upserted',
        customerId: base.customerId,
        occurredAt: base.occurredAt,
        // Only what a feature reads: phone, birthday, company and every other trait stay at the door.
        data: {
          email: str(traits['email']),
          firstName: str(traits['firstName']) ?? str(traits['first_name']),
          lastName: str(traits['lastName']) ?? str(traits['last_name']),
          country: str(obj(traits['address'])['country']),
          locale: str(traits['locale']) ?? str(context['locale']),
          timezone: str(traits['timezone']) ?? str(context['timezone']),
        },
      },
    });
  }
  candidates.push(...consentCandidates(base, traits, options));
  if (candidates.length === 0) candidates.push({ ref: base.ref, ignored: 'identify without email or consent traits' });
  return candidates;
}

function track(
  message: Record<string, unknown>,
  base: { id: string; customerId: string; occurredAt: unknown; ref: string },
  options: MappingOptions,
): Candidate[] {
  const name = str(message['event']);
  const p = obj(message['properties']);
  const head = { id: base.id, customerId: base.customerId, occurredAt: base.occurredAt };
  switch (name) {
    case 'Product Viewed': {
      const { qty: _qty, ...item } = product(p, p['currency'], options.defaultCurrency);
      return [
        {
          ref: base.ref,
          event: { ...head, type: 'product.viewed', data: { ...item, ...(str(p['category']) ? { category: str(p['category']) } : {}) } },
        },
      ];
    }
    case 'Cart Viewed':
    case 'Checkout Started': {
      const cartId = str(p['cart_id']) ?? str(p['checkout_id']);
      return [
        {
          ref: base.ref,
          event: {
            ...head,
            type: 'cart.updated',
            data: {
              cartId,
              cartUrl: cartUrl(cartId, options),
              items: list(p['products']).map((x) => product(x, p['currency'], options.defaultCurrency)),
            },
          },
        },
      ];
    }
    case 'Product Added':
    case 'Product Removed': {
      const cartId = str(p['cart_id']);
      return [
        {
          ref: base.ref,
          event: {
            ...head,
            type: 'cart.item_changed',
            data: {
              cartId,
              cartUrl: cartUrl(cartId, options),
              change: name === 'Product Added' ? 'add' : 'remove',
              item: product(p, p['currency'], options.defaultCurrency),
            },
          },
        },
      ];
    }
    case 'Order Completed':
      return [
        {
          ref: base.ref,
          event: {
            ...head,
            type: 'order.placed',
            data: {
              orderId: str(p['order_id']) ?? str(p['checkout_id']),
              ...(str(p['cart_id']) ? { cartId: str(p['cart_id']) } : {}),
              items: list(p['products']).map((x) => {
                const { imageUrl: _i, url: _u, ...item } = product(x, p['currency'], options.defaultCurrency);
                return item;
              }),
              total: amount(p['total']) ?? amount(p['revenue']),
              currency: str(p['currency']) ?? options.defaultCurrency,
            },
          },
        },
      ];
    case CONSENT_EVENT: {
      const categories = obj(obj(obj(message['context'])['consent'])['categoryPreferences']);
      const found = consentCandidates(base, { ...categories, ...p }, options);
      return found.length ? found : [{ ref: base.ref, ignored: 'consent event without a configured category' }];
    }
    default:
      return [{ ref: base.ref, ignored: 'track event not used by tactful' }];
  }
}

/** One Segment message (of a batch, or alone). `type` may be implied by the endpoint (`/v1/track`). */
export function mapSegmentMessage(raw: unknown, index: number, options: MappingOptions, impliedType?: string): Candidate[] {
  const message = obj(raw);
  const messageId = str(message['messageId']);
  const ref = messageId ? `message ${messageId}` : `message [${index}]`;
  const type = str(message['type']) ?? impliedType;
  if (type === 'page' || type === 'screen') return [{ ref, ignored: `${type} calls are not used by tactful` }];
  if (type !== 'identify' && type !== 'track') return [{ ref, ignored: 'message type not used by tactful' }];
  if (!messageId) return [{ ref, errors: [{ path: 'messageId', message: 'is required: it makes a resent message count once' }] }];
  const userId = str(message['userId']);
  if (!userId) return [{ ref, ignored: 'anonymous (no userId)' }];
  const base = {
    id: eventIdOf('segment', messageId),
    customerId: userId,
    occurredAt: str(message['timestamp']) ?? str(message['originalTimestamp']) ?? str(message['sentAt']),
    ref,
  };
  return type === 'identify' ? identify(message, base, options) : track(message, base, options);
}

/** A batch (`{batch: [...]}`), an array (the Webhooks destination) or one message. */
export function mapSegment(body: unknown, options: MappingOptions, impliedType?: string): Mapping {
  const messages = Array.isArray(body) ? body : Array.isArray(obj(body)['batch']) ? (obj(body)['batch'] as unknown[]) : [body];
  return { candidates: messages.flatMap((m, i) => mapSegmentMessage(m, i, options, impliedType)), actions: [] };
}

export const ALL_MARKETING: readonly MarketingTopic[] = MARKETING_TOPICS;
