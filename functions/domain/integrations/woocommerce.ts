import { amount, eventIdOf, list, obj, str, type Candidate, type Mapping } from './delivery';

/**
 * WooCommerce webhooks (REST API v3 payloads) → tactful's events. Core WooCommerce has no cart topic:
 * only orders and customers arrive. It never retries and its delivery id is not unique, so each event's
 * id is made of the topic, the resource id and `date_modified_gmt`: the same change twice is one event.
 */

export const WOOCOMMERCE_FIELD_NAMES: Record<string, string> = {
  customerId: 'customer_id',
  occurredAt: 'date_modified_gmt',
  'data.items': 'line_items',
  'data.email': 'email',
  'data.firstName': 'first_name',
  'data.lastName': 'last_name',
  'data.country': 'billing.country',
  'data.total': 'total',
  'data.currency': 'currency',
  'data.orderId': 'id',
};

/** WooCommerce's GMT times carry no zone ("2026-11-22T10:00:00"). */
const gmt = (value: unknown): string | undefined => {
  const text = str(value);
  return text && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(text) ? `${text}Z` : text;
};

/** Orders count once they are paid for: processing or completed. */
const PAID = new Set(['processing', 'completed']);

function order(payload: Record<string, unknown>): Candidate {
  const id = str(payload['id']);
  const ref = `order ${id ?? '(no id)'}`;
  const status = str(payload['status']);
  if (!status || !PAID.has(status)) return { ref, ignored: 'order not paid yet (status neither processing nor completed)' };
  const customerId = str(payload['customer_id']);
  if (!customerId || customerId === '0') return { ref, ignored: 'guest order without a customer account' };
  const currency = str(payload['currency']);
  const modified = str(payload['date_modified_gmt']);
  return {
    ref,
    event: {
      // One order is one event, whichever topic reported it: it counts once.
      id: eventIdOf('woocommerce', 'order', id ?? '-'),
      type: 'order.placed',
      customerId,
      occurredAt: gmt(payload['date_paid_gmt']) ?? gmt(modified) ?? gmt(payload['date_created_gmt']),
      data: {
        orderId: id,
        items: list(payload['line_items']).map((raw) => {
          const line = obj(raw);
          return {
            sku: str(line['sku']) ?? str(line['product_id']),
            name: str(line['name']),
            price: amount(line['price']),
            currency,
            qty: line['quantity'],
          };
        }),
        total: amount(payload['total']),
        currency,
      },
    },
  };
}

function customer(payload: Record<string, unknown>): Candidate {
  const id = str(payload['id']);
  const modified = str(payload['date_modified_gmt']) ?? str(payload['date_created_gmt']);
  return {
    ref: `customer ${id ?? '(no id)'}`,
    event: {
      id: eventIdOf('woocommerce', 'customer', id ?? '-', modified ?? '-'),
      type: 'customer.upserted',
      customerId: id,
      occurredAt: gmt(modified),
      // Email, names and the billing country only: addresses and phone numbers stay at the door.
      data: {
        email: str(payload['email']),
        firstName: str(payload['first_name']) ?? str(obj(payload['billing'])['first_name']),
        lastName: str(payload['last_name']),
        country: str(obj(payload['billing'])['country']),
      },
    },
  };
}

/** One delivery: its topic (X-WC-Webhook-Topic, e.g. `order.created`) and parsed body. */
export function mapWooCommerce(topic: string, body: unknown): Mapping {
  const payload = obj(body);
  switch (topic) {
    case 'order.created':
    case 'order.updated':
      return { candidates: [order(payload)], actions: [] };
    case 'customer.created':
    case 'customer.updated':
      return { candidates: [customer(payload)], actions: [] };
    default:
      return { candidates: [{ ref: topic || '(no topic)', ignored: 'topic not used by tactful' }], actions: [] };
  }
}

/** The dedupe key of a delivery: source, topic, resource id and modification time. */
export function wooDeliveryKey(topic: string, body: unknown): string {
  const payload = obj(body);
  return eventIdOf('woocommerce', topic, str(payload['id']) ?? '-', str(payload['date_modified_gmt']) ?? '-');
}
