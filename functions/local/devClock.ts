import { z } from 'zod';
import type { AdjustableClock } from '../adapters/clock';
import { durationToMillis, isDuration } from '../domain/duration';
import { apiKeyMatches } from '../handlers/apiKeys';
import { header, json, parseJsonBody, problem, type HttpHandler } from '../handlers/http';
import { formatPath } from '../domain/events';

const advanceSchema = z.object({ advanceBy: z.string().refine(isDuration, 'must be an ISO-8601 duration such as PT1H') }).strict();

/**
 * GET/POST /dev/clock (local mode only): read the application clock, or move it forward, run every job
 * that became due and answer once those sends have finished.
 */
export function makeDevClockHandler(deps: { clock: AdjustableClock; runDueWork: () => Promise<number>; apiKeys: () => Promise<readonly string[]> }): HttpHandler {
  return async (request) => {
    if (!apiKeyMatches(header(request, 'x-api-key'), await deps.apiKeys())) return problem(401, 'x-api-key', 'missing or not a valid API key');
    if (request.requestContext.http.method === 'GET') return json(200, { now: deps.clock.now().toISOString() });
    const body = parseJsonBody(request);
    if ('response' in body) return body.response;
    const parsed = advanceSchema.safeParse(body.value ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return problem(400, formatPath(issue.path) || '(body)', issue.path.length ? issue.message : 'must be {"advanceBy": "PT1H"}');
    }
    deps.clock.advance(durationToMillis(parsed.data.advanceBy));
    const dispatched = await deps.runDueWork();
    return json(200, { now: deps.clock.now().toISOString(), dispatched });
  };
}
