import { z } from 'zod';
import { durationToMillis, isDuration } from '../domain/time/duration';
import { apiKeyMatches } from '../handlers/apiKeys';
import { header, json, parseJsonBody, problem, type HttpHandler } from '../handlers/http';
import { formatPath } from '../domain/events/events';
import type { DueWorkReport } from './dueWorkReport';

const advanceSchema = z.object({ advanceBy: z.string().refine(isDuration, 'must be an ISO-8601 duration such as PT1H') }).strict();

/**
 * GET/POST /dev/clock (local mode only): read the application clock, or move it forward, run every job
 * that became due and answer once those sends have finished, with what they did (DueWorkReport). The
 * advance is made inside the run, after any background sweep in progress: a sweep cannot do this
 * advance's work behind the answer's back.
 */
export function makeDevClockHandler(deps: {
  now: () => Date;
  runDueWork: (advanceMs?: number) => Promise<DueWorkReport>;
  apiKeys: () => Promise<readonly string[]>;
}): HttpHandler {
  return async (request) => {
    if (!apiKeyMatches(header(request, 'x-api-key'), await deps.apiKeys()))
      return problem(401, 'x-api-key', 'missing or not a valid API key');
    if (request.requestContext.http.method === 'GET') return json(200, { now: deps.now().toISOString() });
    const body = parseJsonBody(request);
    if ('response' in body) return body.response;
    const parsed = advanceSchema.safeParse(body.value ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return problem(400, formatPath(issue.path) || '(body)', issue.path.length ? issue.message : 'must be {"advanceBy": "PT1H"}');
    }
    return json(200, await deps.runDueWork(durationToMillis(parsed.data.advanceBy)));
  };
}
