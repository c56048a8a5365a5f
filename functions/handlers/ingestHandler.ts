import type { EventPublisher } from '../adapters/bus/eventPublisher';
import { LIMITS, parseEventBatch } from '../domain/events';
import { logger } from '../shared/logger';
import { count } from '../shared/metrics';
import { toErrorContext } from '../shared/errors';
import { apiKeyMatches } from './apiKeys';
import { bodyText, header, json, parseJsonBody, problem, type HttpHandler } from './http';

export interface IngestDeps {
  publisher: EventPublisher;
  /** The shops' API keys; a function so the cloud can read them from Secrets Manager with caching. */
  apiKeys: () => Promise<readonly string[]>;
}

/** POST /events: authenticate, validate each event, publish the valid ones, answer what happened to each. */
export function makeIngestHandler({ publisher, apiKeys }: IngestDeps): HttpHandler {
  return async (request) => {
    if (!apiKeyMatches(header(request, 'x-api-key'), await apiKeys())) {
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
    if ('error' in parsed) return json(400, { accepted: [], rejected: [{ errors: [parsed.error] }] });
    const { accepted, rejected, warnings } = parsed;
    if (accepted.length === 0) return json(400, { accepted: [], rejected });

    try {
      await publisher.publish(accepted);
    } catch (error) {
      logger.error('publishing events failed', { count: accepted.length, ...toErrorContext(error) });
      // Event ids are idempotency keys: the shop can resend the whole batch safely.
      return problem(503, '(service)', 'events could not be stored now; retry the same batch', { 'retry-after': '5' });
    }
    logger.info('events accepted', { accepted: accepted.length, rejected: rejected.length });
    count('EventsAccepted', accepted.length);
    if (rejected.length) count('EventsRejected', rejected.length);
    return json(202, { accepted: accepted.map((e) => e.id), rejected, ...(warnings.length ? { warnings } : {}) });
  };
}
