import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSRecord } from 'aws-lambda';
import { applySesFeedback, sesEventSchema, type FeedbackDeps, type FeedbackResult } from '../usecases/sesFeedback';
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
  const recordHandler = async (record: SQSRecord): Promise<FeedbackResult> => {
    const body = safeJson(record.body);
    const envelope = body as { Type?: unknown; Message?: unknown } | undefined;
    const message = envelope && typeof envelope.Message === 'string' ? safeJson(envelope.Message) : body;
    const parsed = sesEventSchema.safeParse(message);
    if (!parsed.success) {
      logger.error('SES feedback record does not parse; kept for the dead-letter queue', {
        messageId: record.messageId,
        path: formatPath(parsed.error.issues[0]?.path ?? []),
      });
      throw new PoisonRecordError(record.messageId, 'not an SES event notification');
    }
    return applySesFeedback(parsed.data, deps);
  };
  return (event) => processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS));
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
    const results: FeedbackResult[] = [];
    for (const [index, candidate] of events.entries()) {
      const parsed = sesEventSchema.safeParse(deps.complete ? deps.complete(candidate) : candidate);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return problem(400, `[${index}].${formatPath(issue.path)}`, issue.message);
      }
      results.push(await applySesFeedback(parsed.data, deps));
    }
    return json(200, { results });
  };
}
