import type { FieldDeclaration } from './publishedTemplate';
import { isHttpUrl } from './links';
import type { Recommendation } from './recommendations';
import {
  DEFAULT_PERSONALIZATION,
  levelRank,
  type Cart,
  type ConsentState,
  type PersonalizationLevel,
  type Profile,
} from '../customers/profile';

/**
 * Builds what a template may see. The candidate context holds everything a template could ask for;
 * only the fields the template declares reach rendering, and the send record lists them.
 */

export class MissingDataError extends Error {
  override name = 'MissingDataError';
  constructor(readonly fields: string[]) {
    super(`required template data missing: ${fields.join(', ')}`);
  }
}

export interface Links {
  unsubscribe: string;
  preferences: string;
  /** The email's own "why did I get this?" page (/why/TOKEN); every sent email has one. */
  why?: string;
}

export interface Shop {
  name: string;
  postalAddress: string;
  /** Branding for the email's header: an https logo, a colour that reads on white, a support address. */
  logoUrl?: string;
  brandColor?: string;
  supportAddress?: string;
}

/** Not personal: always available to every template, without a declaration. */
export const ALWAYS_AVAILABLE = ['links', 'shop', 'step'] as const;

/** The top-level names a template's data can have (what candidateContext builds). */
export const candidateContextKeys = [
  'customer',
  'cart',
  'consent',
  'loyalty',
  'incentive',
  'product',
  'recommendations',
  'links',
  'shop',
  'step',
] as const;

export interface CandidateFacts {
  profile: Profile;
  cart?: Cart;
  consent?: ConsentState;
  links: Links;
  shop: Shop;
  /** The step's own parameters (non-personal). */
  step?: Record<string, string | number>;
  /** A reward this customer qualifies for (by loyalty tier). */
  incentive?: { code: string; percent: number };
  /** Items recommended, each with why. */
  recommendations?: Recommendation[];
  /** The product a browse journey is about. */
  product?: { sku: string; name: string; price: number; currency: string; url?: string; imageUrl?: string };
}

export function candidateContext({
  profile,
  cart,
  consent,
  links,
  shop,
  step,
  incentive,
  product,
  recommendations,
}: CandidateFacts): Record<string, unknown> {
  const items = (cart?.items ?? []).map((item) => ({
    name: item.name,
    qty: item.qty,
    price: item.price,
    currency: item.currency,
    lineTotal: Math.round(item.price * item.qty * 100) / 100,
    imageUrl: item.imageUrl,
    url: item.url,
  }));
  return {
    customer: { firstName: profile.firstName, lastName: profile.lastName },
    cart: cart && {
      items,
      url: cart.cartUrl,
      itemCount: items.reduce((n, i) => n + i.qty, 0),
      updatedAt: cart.updatedAt,
    },
    consent: consent && { grantedAt: consent.at },
    loyalty: profile.loyalty && {
      tier: profile.loyalty.tier,
      points: profile.loyalty.points,
      pointsExpireAt: profile.loyalty.pointsExpireAt,
    },
    incentive,
    product,
    recommendations,
    links,
    shop,
    step: step ?? {},
  };
}

/** A declaration as the picker reads it: its path split once per template version (its fields never change). */
interface Declared {
  path: string;
  keys: readonly string[];
  rank: number;
  url: boolean;
  required: boolean;
}

const declaredOf = new WeakMap<Record<string, FieldDeclaration>, readonly Declared[]>();

function declarations(fields: Record<string, FieldDeclaration>): readonly Declared[] {
  let declared = declaredOf.get(fields);
  if (!declared) {
    declared = Object.entries(fields).map(([path, { level, type, required }]) => ({
      path,
      keys: path.split('.'),
      rank: levelRank(level),
      url: type === 'url',
      required,
    }));
    declaredOf.set(fields, declared);
  }
  return declared;
}

/** What counts as no data: nothing, an empty text, an empty list. */
const isMissing = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * Only declared fields, and only those the customer's personalization level allows: a field needing
 * "full" is simply absent at "basic" (a template block falls back), unless it is required.
 */
export function pickDeclared(
  candidate: Record<string, unknown>,
  fields: Record<string, FieldDeclaration>,
  level: PersonalizationLevel = DEFAULT_PERSONALIZATION,
): { context: Record<string, unknown>; fieldsUsed: string[] } {
  const allowed = levelRank(level);
  const context: Record<string, unknown> = {};
  for (const key of ALWAYS_AVAILABLE) context[key] = candidate[key];
  const fieldsUsed: string[] = [];
  const missing: string[] = [];
  for (const { path, keys, rank, url, required } of declarations(fields)) {
    // Through anything but an object, a path reads as absent.
    let value: unknown = rank <= allowed ? candidate : undefined;
    for (const key of keys) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    // A url field only ever holds http(s): anything else (javascript:, data:) is treated as absent.
    if (url && !isHttpUrl(value)) value = undefined;
    if (isMissing(value)) {
      if (required) missing.push(path);
      continue;
    }
    let node = context;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = value;
    fieldsUsed.push(path);
  }
  if (missing.length > 0) throw new MissingDataError(missing);
  return { context, fieldsUsed };
}
