import { createHash } from 'node:crypto';
import {
  busEventSchema,
  fieldErrorsOf,
  LIMITS,
  nestingDepthExceeds,
  type BusEvent,
  type FieldError,
  type MarketingTopic,
} from '../events/events';

/**
 * What a platform's delivery (a webhook, a Segment batch) becomes: events in tactful's own contract,
 * compliance actions, and for everything else a counted reason or a refusal with plain errors. Mappers
 * are pure: they pick only the fields a feature reads, so the rest of a payload never gets further.
 */

export type IntegrationSource = 'shopify' | 'woocommerce' | 'segment' | 'events';

/** A compliance request from the platform, carried out by the integration itself (not an event). */
export type ComplianceAction =
  | { kind: 'erase'; customerId: string }
  | { kind: 'erase-shop'; shop: string }
  | { kind: 'data-request'; customerId: string; requestId?: string };

/** One candidate event as a mapper made it, with where it came from in the delivery (for errors). */
export interface Candidate {
  /** The item of the delivery it came from: a Segment messageId, "order 123", or the topic. */
  ref: string;
  event?: unknown;
  /** Set instead of `event` when the item cannot be mapped: refused with these errors. */
  errors?: FieldError[];
  /** Set instead of `event` when the item is deliberately not stored: the counted reason. */
  ignored?: string;
}

export interface Mapping {
  candidates: Candidate[];
  actions: ComplianceAction[];
}

export interface MappedDelivery {
  accepted: BusEvent[];
  /** Refused items with their errors: field paths and plain sentences, never the values. */
  rejected: { ref: string; errors: FieldError[] }[];
  /** Reason → how many items were acknowledged and not stored. */
  ignored: Record<string, number>;
  actions: ComplianceAction[];
}

/** Options the mappers read (functions/shared/integrationConfig.ts parses them from the environment). */
export interface MappingOptions {
  /** Marketing topics that Shopify's single email consent grants or withdraws. */
  shopifyConsentTopics: readonly MarketingTopic[];
  /** Segment trait (or consent category) → the marketing topics it grants or withdraws. */
  segmentConsentTraits: Readonly<Record<string, readonly MarketingTopic[]>>;
  /** The shop's cart link, `{cart_id}` replaced by the cart's id (Segment carries no cart URL). */
  cartUrlTemplate?: string;
  /** Currency of events that carry none (Segment's Product Added / Removed). */
  defaultCurrency: string;
  /** The consent policy version recorded with consent from a platform. */
  policyVersion: string;
}

/** Event ids are at most 128 characters: longer natural keys are hashed, keeping a readable prefix. */
export function eventIdOf(...parts: (string | number)[]): string {
  const id = parts.map(String).join(':');
  if (id.length <= LIMITS.idLength) return id;
  return `${id.slice(0, 60)}~${createHash('sha256').update(id).digest('base64url')}`;
}

/**
 * A platform's money string ("199.00") or number as a number. Anything else is passed on as it is, so
 * the contract's check says what is wrong with it ("must be a number, not string") or that it is missing.
 */
export function amount(value: unknown): unknown {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return value ?? undefined;
}

export const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : undefined;

export const obj = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Plain sentences for the schema's terse messages, with the platform's own field name when there is one. */
function plain(errors: FieldError[], fieldNames: Record<string, string>): FieldError[] {
  return errors.map((e) => {
    const source = Object.entries(fieldNames).find(
      ([ours]) => e.path === ours || e.path.startsWith(`${ours}.`) || e.path.startsWith(`${ours}[`),
    );
    const path = source ? e.path.replace(source[0], source[1]) : e.path;
    let message = e.message;
    if (/^Invalid input: expected (\w+), received (\w+)/.test(message))
      message = message.replace(/^Invalid input: expected (\w+), received (\w+).*/, 'must be a $1, not $2');
    else if (/^Invalid option/.test(message))
      message = `has a value tactful does not know (${message.replace(/^Invalid option: expected one of /, 'one of ')})`;
    else if (/^Invalid (URL|url)/.test(message)) message = 'must be an http(s) URL';
    else if (/^Too small/.test(message)) message = message.replace(/^Too small: expected \w+ to (have )?/, 'must be ');
    else if (/^Too big/.test(message)) message = message.replace(/^Too big: expected \w+ to (have )?/, 'must be ');
    return { path, message };
  });
}

/**
 * Sorts a mapping's candidates: each validated on its own against tactful's event contract, so one bad
 * item never costs its neighbours their place. `fieldNames` names our fields by the platform's.
 */
export function sortCandidates(mapping: Mapping, fieldNames: Record<string, string> = {}): MappedDelivery {
  const out: MappedDelivery = { accepted: [], rejected: [], ignored: {}, actions: mapping.actions };
  const seen = new Set<string>();
  for (const c of mapping.candidates) {
    if (c.ignored !== undefined) {
      out.ignored[c.ignored] = (out.ignored[c.ignored] ?? 0) + 1;
      continue;
    }
    if (c.errors) {
      out.rejected.push({ ref: c.ref, errors: c.errors });
      continue;
    }
    if (nestingDepthExceeds(c.event, LIMITS.nestingDepth)) {
      out.rejected.push({ ref: c.ref, errors: [{ path: '(event)', message: `is nested deeper than ${LIMITS.nestingDepth} levels` }] });
      continue;
    }
    const parsed = busEventSchema.safeParse(c.event, { error: (issue) => (issue.input === undefined ? 'is required' : undefined) });
    if (!parsed.success) {
      out.rejected.push({ ref: c.ref, errors: plain(fieldErrorsOf(parsed.error, '(event)'), fieldNames) });
      continue;
    }
    if (seen.has(parsed.data.id)) continue;
    seen.add(parsed.data.id);
    out.accepted.push(parsed.data);
  }
  return out;
}

/** Counts per event type: what a delivery was mapped to, for the deliveries view. */
export function mappedTypes(events: readonly BusEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return counts;
}
