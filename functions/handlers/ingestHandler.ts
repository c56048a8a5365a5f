import type { EventPublisher } from '../adapters/bus/eventPublisher';
import { LIMITS } from '../domain/events/events';
import { parseEventBatch } from '../domain/events/eventBatch';
import { logger } from '../shared/logger';
import { count } from '../shared/metrics';
import { toErrorContext } from '../shared/errors';
import { randomUUID } from 'node:crypto';
import { isoNow, type Clock } from '../adapters/clock';
import type { Rejection } from '../domain/events/eventBatch';
import type { DeliveryLog } from '../usecases/receiveDelivery';
import { senderOf, type KeyDirectory } from './integrations/signatures';
import { bodyText, header, json, parseJsonBody, problem, type HttpHandler } from './http';

export interface IngestDeps {
  publisher: EventPublisher;
  /** The shops' API keys; a function so the cloud can read them from Secrets Manager with caching. */
  apiKeys: () => Promise<readonly string[]>;
  /** Named keys (`npx tactful keys create`), stored hashed. */
  keys?: KeyDirectory;
  /** Where refused events are recorded for the shop to see (GET /admin/api/deliveries?status=rejected). */
  deliveries?: Pick<DeliveryLog, 'record'>;
  clock?: Clock;
}

/** A batch with refused events is recorded (paths and messages only), attributed to the key's name. */
async function recordRefusals(deps: IngestDeps, sender: string, rejected: Rejection[], accepted: number): Promise<void> {
  if (rejected.length === 0) return;
  // Which system sent a bad event: the key's name, the refused ids and the fields, never the values.
  const refs = rejected.slice(0, 10).map((r) => r.id ?? `[${r.index ?? 0}]`);
  const paths = [...new Set(rejected.flatMap((r) => r.errors.map((e) => e.path)))].slice(0, 20);
  logger.info('events refused', { sender, rejected: rejected.length, refs, paths });
  if (!deps.deliveries || !deps.clock) return;
  try {
    await deps.deliveries.record({
      id: randomUUID(),
      source: 'events',
      sender,
      receivedAt: isoNow(deps.clock),
      status: accepted > 0 ? 'partly-refused' : 'refused',
      mapped: accepted > 0 ? { 'accepted events': accepted } : {},
      ignored: {},
      rejected: rejected.map((r) => ({ ref: r.id !== undefined ? `event ${r.id}` : `event [${r.index ?? 0}]`, errors: r.errors })),
    });
  } catch (error) {
    logger.warn('refused events not recorded', { sender, ...toErrorContext(error) });
  }
}

/** POST /events: authenticate, validate each event, publish the valid ones, answer what happened to each. */
export function makeIngestHandler(deps: IngestDeps): HttpHandler {
  const { publisher, apiKeys } = deps;
  return async (request) => {
    const sender = await senderOf(header(request, 'x-api-key'), { keys: apiKeys, name: 'default' }, deps.keys);
    if (!sender) {
      return problem(401, 'x-api-key', 'missing or not a valid API key');
    }
    const contentType = header(request, 'content-type') ?? '';
    if (!/^application\/(.+\+)?json\b/i.test(contentType)) {
      return problem(415, 'content-type', 'must be application/json');
    }
    const text = bodyText(request);
    const bytes = Buffer.byteLength(text);
    if (bytes > LIMITS.bodyBytes) return problem(413, '(body)', `is ${bytes} bytes; at most ${LIMITS.bodyBytes}`);

    const body = parseJsonBody(request);
    if ('response' in body) return body.response;
    const parsed = parseEventBatch(body.value);
    if ('error' in parsed) {
      await recordRefusals(deps, sender, [{ errors: [parsed.error] }], 0);
      return json(400, { accepted: [], rejected: [{ errors: [parsed.error] }] });
    }
    const { accepted, rejected, warnings } = parsed;
    if (accepted.length === 0) {
      await recordRefusals(deps, sender, rejected, 0);
      return json(400, { accepted: [], rejected });
    }

    try {
      await publisher.publish(accepted);
    } catch (error) {
      logger.error('publishing events failed', { count: accepted.length, ...toErrorContext(error) });
      // Event ids are idempotency keys: the shop can resend the whole batch safely.
      return problem(503, '(service)', 'events could not be stored now; retry the same batch', { 'retry-after': '5' });
    }
    await recordRefusals(deps, sender, rejected, accepted.length);
    logger.info('events accepted', { sender, accepted: accepted.length, rejected: rejected.length });
    count('EventsAccepted', accepted.length);
    if (rejected.length) count('EventsRejected', rejected.length);
    return json(202, { accepted: accepted.map((e) => e.id), rejected, ...(warnings.length ? { warnings } : {}) });
  };
}
