import type { z } from 'zod';
import { isValidTimeZone } from '../time/timeZone';
import { LIMITS, nestingDepthExceeds, SHOP_EVENT_TYPES, shopEventSchema, type ShopEvent } from './events';
import { fieldErrorsOf, type FieldError } from './fieldErrors';

/**
 * A batch of shop events as `POST /events` takes it: each event validated on its own, so one bad event
 * never costs its valid neighbours their place (docs/events.md).
 */

export interface Rejection {
  id?: string;
  index?: number;
  errors: FieldError[];
}

export interface Warning {
  id: string;
  path: string;
  message: string;
}

export interface ParsedBatch {
  accepted: ShopEvent[];
  rejected: Rejection[];
  warnings: Warning[];
}

/** Messages a shop developer can act on: "is required", "must be one of …", rather than zod's defaults. */
function readableIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_union' && (issue as { note?: string }).note === 'No matching discriminator') {
    return `must be one of ${SHOP_EVENT_TYPES.join(', ')}`;
  }
  return undefined;
}

const zodErrors = (error: z.ZodError): FieldError[] => fieldErrorsOf(error, '(event)');

/**
 * Accepts `{"events": [...]}` or a single event object. Returns null with an error when the body
 * itself is unusable; otherwise sorts every event into accepted or rejected.
 */
export function parseEventBatch(body: unknown): ParsedBatch | { error: FieldError } {
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (!isObject) return { error: { path: '(body)', message: 'must be a JSON object: {"events": [...]} or one event' } };
  const raw = 'events' in body ? (body as { events: unknown }).events : [body];
  if (!Array.isArray(raw)) return { error: { path: 'events', message: 'must be an array of events' } };
  if (raw.length === 0) return { error: { path: 'events', message: 'must hold at least 1 event' } };
  if (raw.length > LIMITS.eventsPerBatch) {
    return { error: { path: 'events', message: `must hold at most ${LIMITS.eventsPerBatch} events (got ${raw.length})` } };
  }

  const result: ParsedBatch = { accepted: [], rejected: [], warnings: [] };
  const seen = new Set<string>();
  raw.forEach((candidate, index) => {
    if (nestingDepthExceeds(candidate, LIMITS.nestingDepth)) {
      result.rejected.push({ index, errors: [{ path: '(event)', message: `is nested deeper than ${LIMITS.nestingDepth} levels` }] });
      return;
    }
    const rawId = typeof candidate === 'object' && candidate !== null ? (candidate as { id?: unknown }).id : undefined;
    const ref = typeof rawId === 'string' && rawId.length > 0 && rawId.length <= LIMITS.idLength ? { id: rawId } : { index };

    const size = Buffer.byteLength(JSON.stringify(candidate) ?? '');
    if (size > LIMITS.eventBytes) {
      result.rejected.push({ ...ref, errors: [{ path: '(event)', message: `is ${size} bytes; at most ${LIMITS.eventBytes}` }] });
      return;
    }
    const parsed = shopEventSchema.safeParse(candidate, { error: readableIssue });
    if (!parsed.success) {
      result.rejected.push({ ...ref, errors: zodErrors(parsed.error) });
      return;
    }
    const event = parsed.data;
    // The same id twice in one batch has the effect of one; the second copy is simply acknowledged.
    if (seen.has(event.id)) return;
    seen.add(event.id);
    if (event.type === 'customer.upserted' && event.data.timezone !== undefined && !isValidTimeZone(event.data.timezone)) {
      result.warnings.push({ id: event.id, path: 'data.timezone', message: "is not an IANA time zone; the shop's time zone applies" });
      event.data.timezone = undefined;
    }
    result.accepted.push(event);
  });
  return result;
}
