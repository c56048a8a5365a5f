import type { SNSEvent } from 'aws-lambda';
import { applySesFeedback, sesEventSchema, type FeedbackResult } from '../usecases/sesFeedback';
import type { PreferenceDeps } from '../usecases/preferences';
import { logger } from '../shared/logger';
import { apiKeyMatches } from './apiKeys';
import { header, json, parseJsonBody, problem, type HttpHandler } from './http';
import { safeJson } from './sqs';
import { formatPath } from '../domain/events';

/** SES configuration set → SNS topic → this function: one SES event per record. */
export function makeFeedbackHandler(deps: PreferenceDeps): (event: SNSEvent) => Promise<void> {
  return async (event) => {
    for (const record of event.Records) {
      const parsed = sesEventSchema.safeParse(safeJson(record.Sns.Message));
      if (!parsed.success) {
        logger.error('SES feedback record does not parse', { messageId: record.Sns.MessageId });
        continue;
      }
      await applySesFeedback(parsed.data, deps);
    }
  };
}

/**
 * POST /dev/ses-events (local mode): feed SES events by hand — one event or an array — as SES would
 * publish them. `complete` fills in what SES would know about a message this process sent (its tags,
 * send time and recipient), so an event may name only its `mail.messageId`.
 */
export function makeLocalSesEventsHandler(deps: PreferenceDeps & { apiKeys: () => Promise<readonly string[]>; complete?: (event: unknown) => unknown }): HttpHandler {
  return async (request) => {
    if (!apiKeyMatches(header(request, 'x-api-key'), await deps.apiKeys())) return problem(401, 'x-api-key', 'missing or not a valid API key');
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
