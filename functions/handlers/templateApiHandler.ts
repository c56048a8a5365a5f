import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../domain/events/events';
import {
  isTemplateVersion,
  publishedTemplateSchema,
  TEMPLATE_VERSION_LENGTH,
  templateVersionSchema,
} from '../domain/rendering/publishedTemplate';
import { templateSampleSchema } from '../domain/rendering/sample';
import { loadVersion, previewVersion, rollbackTemplate, sendTestEmail, templateHistory } from '../usecases/templates';
import { json, parseJsonBody, problem, type HttpRequest, type HttpResponse } from './http';
import { parseWith } from './bodySchema';
import { isName, NAME_RULE } from '../domain/authoring/safeKeys';
import type { Role } from '../domain/authoring/roles';
import { publishCheckedVersion, rollbackTemplateLogged } from '../usecases/authoring';
import type { ActingAdminDeps } from './adminApiHandler';
import { isoNow } from '../adapters/clock';

/**
 * Templates in the admin API (the caller is already authenticated as an admin):
 *   GET  /admin/api/templates                     every template and the version LATEST points at
 *   GET  /admin/api/templates/{name}              its versions, newest first, and which one sends
 *   POST /admin/api/templates/{name}/versions     publish a version (what `tactful templates publish` sends): its source
 *                                                 is validated and compiled again here; 422 {validation} when it fails
 *   POST /admin/api/templates/{name}/rollback     {"version": "…"}: point LATEST back at an older version
 *   POST /admin/api/templates/{name}/preview      {"locale", "sample" | "sampleData", "version"?}: the rendered email
 *   POST /admin/api/templates/{name}/test-send    the same plus {"to"}: send the preview to that address, marked [Test]
 */

const previewBody = z
  .object({
    locale: z.enum(SUPPORTED_LOCALES).default('en'),
    sample: z.string().max(64).optional(),
    sampleData: templateSampleSchema.optional(),
    version: templateVersionSchema.optional(),
  })
  .strict();
/** Where a test send may go: one address, checked the same way by the API and the console. */
export const testSendAddress = z.email().max(254);
const testSendBody = previewBody.extend({ to: testSendAddress }).strict();
const rollbackBody = z.object({ version: templateVersionSchema }).strict();

/** Test sends per person per minute (429 with Retry-After beyond). */
export const TEST_SENDS_PER_MINUTE = 10;

/** Whether an address is on the allow-list: exact addresses, or `*@domain` for a whole domain. */
export function allowedRecipient(address: string, allowlist: readonly string[] | undefined): boolean {
  if (allowlist === undefined) return true;
  const lower = address.toLowerCase();
  const domain = lower.slice(lower.lastIndexOf('@') + 1);
  return allowlist.some((entry) => {
    const e = entry.trim().toLowerCase();
    return e.startsWith('*@') ? e.slice(2) === domain : e === lower;
  });
}

type TemplateRoute = (name: string, body: unknown, deps: ActingAdminDeps) => Promise<HttpResponse>;

async function publish(name: string, body: unknown, deps: ActingAdminDeps): Promise<HttpResponse> {
  const template = parseWith(publishedTemplateSchema, body);
  if ('response' in template) return template.response;
  if (!isTemplateVersion(template.value.version))
    return problem(400, 'version', `must be a published version: ${TEMPLATE_VERSION_LENGTH} hex digits`);
  if (template.value.name !== name) return problem(400, 'name', `is "${template.value.name}" but the path names "${name}"`);
  const published = await publishCheckedVersion(template.value, deps.principal, deps);
  return json(published.changed ? 201 : 200, published);
}

async function rollback(name: string, body: unknown, deps: ActingAdminDeps): Promise<HttpResponse> {
  const wanted = parseWith(rollbackBody, body);
  if ('response' in wanted) return wanted.response;
  const pointer = await rollbackTemplate(name, wanted.value.version, deps);
  await rollbackTemplateLogged(name, wanted.value.version, deps.principal, deps);
  return json(200, pointer);
}

async function preview(name: string, body: unknown, deps: ActingAdminDeps): Promise<HttpResponse> {
  const wanted = parseWith(previewBody, body);
  if ('response' in wanted) return wanted.response;
  return json(200, await previewVersion(await loadVersion(name, wanted.value.version, deps), wanted.value, deps));
}

/**
 * Who may receive a test send and how often: the allow-list, then one of the person's
 * TEST_SENDS_PER_MINUTE. Shared by the API and the console; undefined when it may go.
 */
export interface TestSendRefusal {
  status: 403 | 429;
  message: string;
  retryAfter?: number;
}

export async function testSendRefusal(to: string, deps: ActingAdminDeps): Promise<TestSendRefusal | undefined> {
  if (!allowedRecipient(to, deps.testSendAllowlist))
    return { status: 403, message: 'is not on the test-send allow-list (TEST_SEND_ALLOWLIST)' };
  const wait = await deps.changes.takeTestSend(deps.principal.actor, deps.clock.now(), TEST_SENDS_PER_MINUTE);
  if (wait === 0) return undefined;
  return { status: 429, message: `at most ${TEST_SENDS_PER_MINUTE} test sends a minute: try again in ${wait} s`, retryAfter: wait };
}

/** Every test send is in the change log with who sent it; the address is not (the log names staff, not recipients). */
export async function logTestSend(name: string, version: string, locale: string, deps: ActingAdminDeps): Promise<void> {
  const at = isoNow(deps.clock);
  await deps.changes.record({
    at,
    actor: deps.principal.actor,
    action: 'test-send',
    subject: `template:${name}`,
    summary: `version ${version}, ${locale}`,
  });
}

async function testSend(name: string, body: unknown, deps: ActingAdminDeps): Promise<HttpResponse> {
  const wanted = parseWith(testSendBody, body);
  if ('response' in wanted) return wanted.response;
  const refused = await testSendRefusal(wanted.value.to, deps);
  if (refused) {
    return problem(refused.status, 'to', refused.message, refused.retryAfter ? { 'retry-after': String(refused.retryAfter) } : {});
  }
  const rendered = await previewVersion(await loadVersion(name, wanted.value.version, deps), wanted.value, deps);
  const { messageId } = await sendTestEmail(rendered, wanted.value.to, deps);
  await logTestSend(name, rendered.version, rendered.locale, deps);
  return json(202, { messageId, template: rendered.template, version: rendered.version, locale: rendered.locale, sample: rendered.sample });
}

/** The POST /admin/api/templates/{name}/<action> routes and the least role each needs. */
export const TEMPLATE_ACTIONS: Record<'versions' | 'rollback' | 'preview' | 'test-send', { run: TemplateRoute; role: Role }> = {
  versions: { run: publish, role: 'publisher' },
  rollback: { run: rollback, role: 'publisher' },
  preview: { run: preview, role: 'editor' },
  'test-send': { run: testSend, role: 'editor' },
};

/** Runs one template route (the admin API answers the use cases' typed errors: errorAnswers.ts). */
export async function handleTemplateApi(request: HttpRequest, deps: ActingAdminDeps, action?: TemplateRoute): Promise<HttpResponse> {
  const name = request.pathParameters?.['name'];
  if (name === undefined) return json(200, { templates: await deps.catalogStore.listTemplatePointers() });
  if (!isName(name)) return problem(400, 'name', NAME_RULE);
  if (!action) return json(200, await templateHistory(name, deps));
  const body = parseJsonBody(request);
  if ('response' in body) return body.response;
  return action(name, body.value, deps);
}
