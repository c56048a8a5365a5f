import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSRecord } from 'aws-lambda';
import { applySesFeedbackBatch, sesEventSchema, type FeedbackDeps, type FeedbackResult, type SesEvent } from '../usecases/sesFeedback';
import { chunksOf } from '../shared/chunks';
import { logger } from '../shared/logger';
import { apiKeyMatches } from './apiKeys';
import { header, json, parseJsonBody, problem, type HttpHandler } from './http';
import { PoisonRecordError, safeJson, type SqsHandler } from './sqs';
import { formatPath } from '../domain/events/events';

/**
 * SES configuration set → SNS topic → feedback queue → this function: one SES event per record, in SNS's
 * notification envelope (or bare, with raw message delivery). A record that fails — a store that
 * throws, or a body that does not parse — is reported as a batch item failure: SQS retries it and then
 * keeps it in the dead-letter queue, which is alarmed and can be redriven. Nothing is dropped.
 */
export function makeFeedbackHandler(deps: FeedbackDeps): SqsHandler {
  return async (event) => {
    // The batch's events go together (their counts share writes); each record still settles alone.
    const parsed = new Map(event.Records.map((record) => [record.messageId, parseRecord(record)] as const));
    const events = [...parsed.entries()].flatMap(([id, p]) => (p.success ? [{ id, event: p.data }] : []));
    const settled = await applySesFeedbackBatch(
      events.map((e) => e.event),
      deps,
    );
    const results = new Map(events.map((e, n) => [e.id, settled[n]!]));
    const recordHandler = async (record: SQSRecord): Promise<FeedbackResult> => {
      const p = parsed.get(record.messageId)!;
      if (!p.success) {
        logger.error('SES feedback record does not parse; kept for the dead-letter queue', {
          messageId: record.messageId,
          path: formatPath(p.error.issues[0]?.path ?? []),
        });
        throw new PoisonRecordError(record.messageId, 'not an SES event notification');
      }
      const result = results.get(record.messageId)!;
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    };
    return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS));
  };
}

function parseRecord(record: SQSRecord) {
  const body = safeJson(record.body);
  const envelope = body as { Type?: unknown; Message?: unknown } | undefined;
  const message = envelope && typeof envelope.Message === 'string' ? safeJson(envelope.Message) : body;
  return sesEventSchema.safeParse(message);
}

/**
 * POST /dev/ses-events (local mode): feed SES events by hand — one event or an array — as SES would
 * publish them. `complete` fills in what SES would know about a message this process sent (its tags,
 * send time and recipient), so an event may name only its `mail.messageId`.
 */
export function makeLocalSesEventsHandler(
  deps: FeedbackDeps & { apiKeys: () => Promise<readonly string[]>; complete?: (event: unknown) => unknown },
): HttpHandler {
  return async (request) => {
    if (!apiKeyMatches(header(request, 'x-api-key'), await deps.apiKeys()))
      return problem(401, 'x-api-key', 'missing or not a valid API key');
    const parsedBody = parseJsonBody(request);
    if ('response' in parsedBody) return parsedBody.response;
    const body = parsedBody.value;
    const events = Array.isArray(body) ? body : [body];
    const parsed: SesEvent[] = [];
    for (const [index, candidate] of events.entries()) {
      const one = sesEventSchema.safeParse(deps.complete ? deps.complete(candidate) : candidate);
      if (!one.success) {
        const issue = one.error.issues[0]!;
        return problem(400, `[${index}].${formatPath(issue.path)}`, issue.message);
      }
      parsed.push(one.data);
    }
    // As the feedback queue hands them over: batches of up to ten, their counts added together.
    const results: FeedbackResult[] = [];
    for (const batch of chunksOf(parsed, 10)) {
      for (const result of await applySesFeedbackBatch(batch, deps)) {
        if (result.status === 'rejected') throw result.reason;
        results.push(result.value);
      }
    }
    return json(200, { results });
  };
}
