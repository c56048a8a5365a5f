import { z } from 'zod';
import { MARKETING_TOPICS, SUPPORTED_LOCALES, type Locale } from './topics';

/**
 * The shop event contract (docs/events.md). Every event is validated on its own so that one bad
 * event never costs its valid neighbours their place in a batch.
 */

export { MARKETING_TOPICS, SUPPORTED_LOCALES, type Locale, type MarketingTopic } from './topics';
export { fieldErrorsOf, formatPath, type FieldError } from './fieldErrors';

/**
 * What a customer can consent to: the marketing topics, and `tracking` (whether we may see when they
 * open our emails and which links they click). Tracking is no topic of mail: no campaign sends for it.
 */
export const CONSENT_PURPOSES = [...MARKETING_TOPICS, 'tracking'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const LIMITS = {
  bodyBytes: 512 * 1024,
  eventsPerBatch: 100,
  eventBytes: 64 * 1024,
  itemsPerCart: 100,
  idLength: 128,
  shortText: 256,
  urlLength: 2048,
  /** No event needs more than a few levels; deeper input is refused before anything recursive reads it. */
  nestingDepth: 16,
} as const;

/** Iterative, so hostile nesting cannot exhaust the stack while being measured. */
export function nestingDepthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** Opaque ids only: an email address as a customer id would leak into keys, logs and metrics. */
const opaqueId = z
  .string()
  .min(1)
  .max(LIMITS.idLength)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:|-]*$/, 'must be an opaque id of letters, digits and . _ : | - (not an email address)');

/**
 * Characters no text field means: C0 and C1 controls (NUL, BEL, ESC, U+0085 …), DEL, and the bidi
 * embeddings, overrides and isolates that make a subject read differently from what it holds.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
const CONTROLS = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
/** Line breaks, tabs and the Unicode line and paragraph separators: a space in a one-line field. */
const BREAKS = /[\t\n\v\f\r\u2028\u2029]/g;

const UNPRINTABLE = new RegExp(`${CONTROLS.source}|${BREAKS.source}`);

/** Text as stored: control characters gone, and in a one-line field, breaks made spaces. */
export function stripControls(value: string, multiline = false): string {
  const stripped = value.replace(CONTROLS, '');
  return multiline ? stripped : stripped.replace(BREAKS, ' ');
}

const cleanString = (multiline = false) => z.string().transform((value) => stripControls(value, multiline));
const text = (max: number = LIMITS.shortText) =>
  cleanString().pipe(z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));

const httpUrl = z
  .string()
  .max(LIMITS.urlLength)
  // A URL that held them would not be the URL the shop meant: refused, not stripped.
  .refine((u) => !UNPRINTABLE.test(u), 'must not contain control characters or line breaks')
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 currency code such as EUR')
  .transform((c) => c.toUpperCase());

const money = z.number().finite().nonnegative().max(1e9);

export function normalizeLocale(raw: string | undefined): Locale {
  const language = (raw ?? '').toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(language ?? '') ? (language as Locale) : 'en';
}

const cartItem = z.object({
  sku: text(LIMITS.idLength),
  name: text(),
  price: money,
  currency,
  qty: z.number().int().min(1).max(10_000),
  imageUrl: httpUrl.optional(),
  url: httpUrl.optional(),
});
export type CartItem = z.infer<typeof cartItem>;

const customerUpserted = z.object({
  email: z.string().trim().max(254).email('must be an email address'),
  firstName: text(),
  lastName: text().optional(),
  locale: z.string().max(35).optional().transform(normalizeLocale),
  // An unknown zone is kept out of the profile and the shop's zone applies (see warnings).
  timezone: z.string().max(64).optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as PL')
    .transform((c) => c.toUpperCase()),
});

const consentChanged = z.object({
  topic: z.enum(CONSENT_PURPOSES),
  status: z.enum(['granted', 'withdrawn']),
  source: text(64),
  policyVersion: text(64),
  /** What the customer was shown when asked, or its hash: the proof GDPR Art. 7(1) asks for. */
  textShown: cleanString(true).pipe(z.string().max(4000)).optional(),
});

const cartUpdated = z.object({
  cartId: text(LIMITS.idLength).optional(),
  items: z.array(cartItem).max(LIMITS.itemsPerCart),
  cartUrl: httpUrl,
});

const orderPlaced = z.object({
  orderId: text(LIMITS.idLength),
  cartId: text(LIMITS.idLength).optional(),
  items: z.array(cartItem.partial({ imageUrl: true, url: true })).max(LIMITS.itemsPerCart),
  total: money,
  currency,
});

const productViewed = z.object({
  sku: text(LIMITS.idLength),
  name: text(),
  price: money,
  currency,
  category: text().optional(),
  url: httpUrl.optional(),
  imageUrl: httpUrl.optional(),
});

const loyaltyPointsChanged = z.object({
  points: z.number().int().min(0),
  tier: text(64),
  /** When the current points expire, if they do: drives the expiry reminder. */
  pointsExpireAt: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with zone' }).optional(),
});

/** The customer's choices as the shop's own account page records them (kept like the preference center's). */
const preferencesChanged = z
  .object({
    personalizationLevel: z.enum(['none', 'basic', 'full']).optional(),
    frequency: z.enum(['any', 'weekly', 'monthly']).optional(),
  })
  .refine((d) => d.personalizationLevel !== undefined || d.frequency !== undefined, 'must name personalizationLevel, frequency or both');

const envelope = {
  id: text(LIMITS.idLength),
  customerId: opaqueId,
  occurredAt: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with zone, such as 2026-11-22T10:00:00Z' }),
};

export const shopEventSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('customer.upserted'), data: customerUpserted }),
  z.object({ ...envelope, type: z.literal('consent.changed'), data: consentChanged }),
  z.object({ ...envelope, type: z.literal('cart.updated'), data: cartUpdated }),
  z.object({ ...envelope, type: z.literal('order.placed'), data: orderPlaced }),
  z.object({ ...envelope, type: z.literal('product.viewed'), data: productViewed }),
  z.object({ ...envelope, type: z.literal('loyalty.points_changed'), data: loyaltyPointsChanged }),
  z.object({ ...envelope, type: z.literal('preferences.changed'), data: preferencesChanged }),
]);

/**
 * One product added to or removed from a stored cart (Segment's `Product Added` / `Product Removed`):
 * not part of the shops' contract, only put on the bus by the integrations. The trigger applies it to
 * the cart it reads, so the rest of the system only ever sees whole carts.
 */
const cartItemChanged = z.object({
  cartId: text(LIMITS.idLength).optional(),
  cartUrl: httpUrl,
  change: z.enum(['add', 'remove']),
  item: cartItem,
});

/** What the trigger accepts from the bus: the shops' events and the integrations' cart changes. */
export const busEventSchema = z.discriminatedUnion('type', [
  ...shopEventSchema.options,
  z.object({ ...envelope, type: z.literal('cart.item_changed'), data: cartItemChanged }),
]);
export type BusEvent = z.infer<typeof busEventSchema>;
export type CartItemChanged = Extract<BusEvent, { type: 'cart.item_changed' }>;

export type ShopEvent = z.infer<typeof shopEventSchema>;
export type ShopEventType = ShopEvent['type'];
export type EventOf<T extends ShopEventType> = Extract<ShopEvent, { type: T }>;
export const SHOP_EVENT_TYPES = shopEventSchema.options.map((o) => o.shape.type.value);
