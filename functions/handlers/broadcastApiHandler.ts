import { z } from 'zod';
import type { Role } from '../domain/authoring/roles';
import { broadcastSchema } from '../domain/broadcasts/broadcast';
import { SUPPORTED_LOCALES } from '../domain/events/events';
import {
  broadcastStatus,
  cancelBroadcast,
  createBroadcast,
  listBroadcasts,
  UnknownBroadcastError,
  type BroadcastDeps,
} from '../usecases/broadcasts/schedule';
import { loadVersion, previewVersion, sendTestEmail } from '../usecases/templates';
import type { ActingAdminDeps } from './adminApiHandler';
import { parseWith } from './bodySchema';
import { json, parseJsonBody, problem, type HttpRequest, type HttpResponse } from './http';
import { testSendAddress, testSendRefusal } from './templateApiHandler';

/**
 * Broadcasts in the admin API (docs/broadcasts.md; roles as for campaigns, checked by adminApiHandler.ts):
 *   POST /admin/api/broadcasts                    the broadcast → 201 {id, state: "scheduled"}; 400 naming the field (publishers)
 *   GET  /admin/api/broadcasts                    every broadcast with its progress
 *   GET  /admin/api/broadcasts/{id}               200 {id, state, audience, sent, skipped, skippedBy, heldOut, …}
 *   POST /admin/api/broadcasts/{id}/cancel        200 {id, state: "cancelled", notSent} (publishers)
 *   POST /admin/api/broadcasts/{id}/test-send     {to, locale?} → 202: the rendered broadcast to one address (editors)
 */
export type BroadcastApiDeps = ActingAdminDeps & BroadcastDeps;

export interface BroadcastRoute {
  method: 'GET' | 'POST';
  path: string;
  role: Role;
  handle: (request: HttpRequest, params: Record<string, string>, deps: BroadcastApiDeps) => Promise<HttpResponse>;
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const testSendBody = z.object({ to: testSendAddress, locale: z.enum(SUPPORTED_LOCALES).default('en') }).strict();

/** Checks the id the path names (the admin API answers the use cases' typed errors: errorAnswers.ts). */
async function answer(params: Record<string, string>, run: (id: string) => Promise<HttpResponse>): Promise<HttpResponse> {
  const id = params['broadcastId'] ?? '';
  if (id !== '' && !ID.test(id)) return problem(400, 'id', 'must be lowercase letters, digits and dashes, at most 64');
  return run(id);
}

/**
 * A broadcast's template, rendered with its default sample and marked [Test], to one allowed address: the
 * API's and the console's test send. A refusal (the allow-list, the rate) is answered, not thrown.
 */
export async function sendBroadcastTest(
  id: string,
  wanted: { to: string; locale: z.infer<typeof testSendBody>['locale'] },
  deps: BroadcastApiDeps,
): Promise<
  | { refused: NonNullable<Awaited<ReturnType<typeof testSendRefusal>>> }
  | { messageId: string; version: string; sample: string; template: string; locale: string }
> {
  const record = await deps.broadcasts.get(id);
  if (!record) throw new UnknownBroadcastError(id);
  const refused = await testSendRefusal(wanted.to, deps);
  if (refused) return { refused };
  const rendered = await previewVersion(await loadVersion(record.definition.template, undefined, deps), { locale: wanted.locale }, deps);
  const { messageId } = await sendTestEmail(rendered, wanted.to, deps);
  await deps.changes.record({
    at: deps.clock.now().toISOString(),
    actor: deps.principal.actor,
    action: 'test-send',
    subject: `broadcast:${id}`,
    summary: `template ${rendered.template} version ${rendered.version}, ${rendered.locale}, sample ${rendered.sample}`,
  });
  return { messageId, template: rendered.template, version: rendered.version, locale: rendered.locale, sample: rendered.sample };
}

async function testSend(request: HttpRequest, id: string, deps: BroadcastApiDeps): Promise<HttpResponse> {
  if (!(await deps.broadcasts.get(id))) throw new UnknownBroadcastError(id);
  const raw = parseJsonBody(request);
  if ('response' in raw) return raw.response;
  const wanted = parseWith(testSendBody, raw.value);
  if ('response' in wanted) return wanted.response;
  const sent = await sendBroadcastTest(id, wanted.value, deps);
  if ('refused' in sent) {
    const { status, message, retryAfter } = sent.refused;
    return problem(status, 'to', message, retryAfter ? { 'retry-after': String(retryAfter) } : {});
  }
  return json(202, sent);
}

export const BROADCAST_ROUTES: readonly BroadcastRoute[] = [
  {
    method: 'POST',
    path: '/admin/api/broadcasts',
    role: 'publisher',
    handle: (request, params, deps) =>
      answer(params, async () => {
        const raw = parseJsonBody(request);
        if ('response' in raw) return raw.response;
        const parsed = parseWith(broadcastSchema, raw.value);
        if ('response' in parsed) return parsed.response;
        const created = await createBroadcast(parsed.value, deps.principal, deps);
        return json(201, created);
      }),
  },
  {
    method: 'GET',
    path: '/admin/api/broadcasts',
    role: 'viewer',
    handle: (_, params, deps) => answer(params, async () => json(200, { broadcasts: await listBroadcasts(deps) })),
  },
  {
    method: 'GET',
    path: '/admin/api/broadcasts/{broadcastId}',
    role: 'viewer',
    handle: (_, params, deps) => answer(params, async (id) => json(200, await broadcastStatus(id, deps))),
  },
  {
    method: 'POST',
    path: '/admin/api/broadcasts/{broadcastId}/cancel',
    role: 'publisher',
    handle: (_, params, deps) => answer(params, async (id) => json(200, await cancelBroadcast(id, deps.principal, deps))),
  },
  {
    method: 'POST',
    path: '/admin/api/broadcasts/{broadcastId}/test-send',
    role: 'editor',
    handle: (request, params, deps) => answer(params, (id) => testSend(request, id, deps)),
  },
];
