import type { FieldDeclaration } from './publishedTemplate';
import { isHttpUrl } from './links';
import type { Recommendation } from '../recommendations';
import { DEFAULT_PERSONALIZATION, levelRank, type Cart, type ConsentState, type PersonalizationLevel, type Profile } from '../profile';

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

type Picker = (
  candidate: Record<string, unknown>,
  allowed: number,
) => { context: Record<string, unknown>; fieldsUsed: string[]; missing: string[] };

/** What counts as no data: nothing, an empty text, an empty list (as code over `v`). */
const MISSING = 'v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0)';
const quote = (text: string): string => JSON.stringify(text);

/**
 * A template's declarations as one generated function, built once per template version (its fields
 * never change): each field a read of its own path and a write of its own place, so V8 caches every
 * read where a loop over paths made one shared lookup for all of them. Paths reach the code only as
 * JSON-quoted keys.
 */
function compilePicker(fields: Record<string, FieldDeclaration>): Picker {
  let code = `const context = {${ALWAYS_AVAILABLE.map((key) => `${quote(key)}: c[${quote(key)}]`).join(', ')}};\nconst fieldsUsed = [], missing = [];\nlet v, t;\n`;
  for (const [path, declaration] of Object.entries(fields)) {
    const keys = path.split('.');
    const last = quote(keys[keys.length - 1]!);
    // Through anything but an object, a path reads as absent.
    const through = keys.slice(0, -1).map((key) => `(t = t[${quote(key)}]) && typeof t === "object"`);
    const read = `((t = c) && typeof t === "object"${through.map((step) => ` && ${step}`).join('')} ? t[${last}] : undefined)`;
    const place = keys.slice(0, -1).reduce((node, key) => `(${node}[${quote(key)}] ??= {})`, 'context');
    code += `v = ${levelRank(declaration.level)} <= allowed ? ${read} : undefined;\n`;
    // A url field only ever holds http(s): anything else (javascript:, data:) is treated as absent.
    if (declaration.type === 'url') code += 'if (!isHttpUrl(v)) v = undefined;\n';
    code += `if (${MISSING}) {${declaration.required ? ` missing.push(${quote(path)});` : ''} } else { ${place}[${last}] = v; fieldsUsed.push(${quote(path)}); }\n`;
  }
  code += 'return { context, fieldsUsed, missing };';
  // Paths are quoted; see above.
  return new Function('isHttpUrl', `"use strict";\nreturn function pick(c, allowed) {\n${code}\n};`)(isHttpUrl) as Picker;
}

const pickers = new WeakMap<Record<string, FieldDeclaration>, Picker>();

/**
 * Only declared fields, and only those the customer's personalization level allows: a field needing
 * "full" is simply absent at "basic" (a template block falls back), unless it is required.
 */
export function pickDeclared(
  candidate: Record<string, unknown>,
  fields: Record<string, FieldDeclaration>,
  level: PersonalizationLevel = DEFAULT_PERSONALIZATION,
): { context: Record<string, unknown>; fieldsUsed: string[] } {
  let pick = pickers.get(fields);
  if (!pick) pickers.set(fields, (pick = compilePicker(fields)));
  const { context, fieldsUsed, missing } = pick(candidate, levelRank(level));
  if (missing.length > 0) throw new MissingDataError(missing);
  return { context, fieldsUsed };
}
