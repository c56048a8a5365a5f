import { z } from 'zod';
import { UnknownTemplateVersionError } from '../adapters/dynamo/catalogStore';
import { fieldErrorsOf, SUPPORTED_LOCALES } from '../domain/events';
import { publishedTemplateSchema, templateVersionSchema } from '../domain/rendering/publishedTemplate';
import { templateSampleSchema } from '../domain/rendering/sample';
import { TemplateRenderError } from '../domain/rendering/renderer';
import { MissingDataError } from '../domain/rendering/context';
import { TemplateCheckTimeoutError } from '../adapters/templateCheck/offThread';
import {
  loadVersion,
  previewVersion,
  publishTemplateVersion,
  rollbackTemplate,
  sendTestEmail,
  TemplateCheckError,
  templateHistory,
  UnknownSampleError,
  UnknownTemplateError,
  type TemplateDeps,
} from '../usecases/templates';
import { json, parseJsonBody, problem, type HttpRequest, type HttpResponse } from './http';

/**
 * Templates in the admin API (the caller is already authenticated as an admin):
 *   GET  /admin/api/templates                     every template and the version LATEST points at
 *   GET  /admin/api/templates/{name}              its versions, newest first, and which one sends
 *   POST /admin/api/templates/{name}/versions     publish a compiled version (what `tactful templates publish` sends)
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

function parse<T>(schema: z.ZodType<T>, value: unknown): { value: T } | { response: HttpResponse } {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return { value: parsed.data };
  const first = fieldErrorsOf(parsed.error, '(body)')[0]!;
  return { response: problem(400, first.path, first.message) };
}

type TemplateRoute = (name: string, body: unknown, deps: TemplateDeps) => Promise<HttpResponse>;

async function publish(name: string, body: unknown, deps: TemplateDeps): Promise<HttpResponse> {
  const template = parse(publishedTemplateSchema, body);
  if ('response' in template) return template.response;
  if (template.value.name !== name) return problem(400, 'name', `is "${template.value.name}" but the path names "${name}"`);
  const published = await publishTemplateVersion(template.value, deps);
  return json(published.changed ? 201 : 200, published);
}

async function rollback(name: string, body: unknown, deps: TemplateDeps): Promise<HttpResponse> {
  const wanted = parse(rollbackBody, body);
  if ('response' in wanted) return wanted.response;
  return json(200, await rollbackTemplate(name, wanted.value.version, deps));
}

async function preview(name: string, body: unknown, deps: TemplateDeps): Promise<HttpResponse> {
  const wanted = parse(previewBody, body);
  if ('response' in wanted) return wanted.response;
  return json(200, await previewVersion(await loadVersion(name, wanted.value.version, deps), wanted.value, deps));
}

async function testSend(name: string, body: unknown, deps: TemplateDeps): Promise<HttpResponse> {
  const wanted = parse(testSendBody, body);
  if ('response' in wanted) return wanted.response;
  const rendered = await previewVersion(await loadVersion(name, wanted.value.version, deps), wanted.value, deps);
  const { messageId } = await sendTestEmail(rendered, wanted.value.to, deps);
  return json(202, { messageId, template: rendered.template, version: rendered.version, locale: rendered.locale, sample: rendered.sample });
}

/** The POST /admin/api/templates/{name}/<action> routes. */
export const TEMPLATE_ACTIONS: Record<'versions' | 'rollback' | 'preview' | 'test-send', TemplateRoute> = { versions: publish, rollback, preview, 'test-send': testSend };

/** Runs one template route, turning the use cases' typed errors into answers that name the field. */
export async function handleTemplateApi(request: HttpRequest, deps: TemplateDeps, action?: TemplateRoute): Promise<HttpResponse> {
  const name = request.pathParameters?.['name'];
  try {
    if (name === undefined) return json(200, { templates: await deps.catalogStore.listTemplatePointers() });
    if (!action) return json(200, await templateHistory(name, deps));
    const body = parseJsonBody(request);
    if ('response' in body) return body.response;
    return await action(name, body.value, deps);
  } catch (error) {
    if (error instanceof UnknownTemplateError || error instanceof UnknownTemplateVersionError) return problem(404, 'name', error.message);
    if (error instanceof UnknownSampleError) return problem(400, 'sample', error.message);
    if (error instanceof MissingDataError) return problem(422, 'sampleData', error.message);
    if (error instanceof TemplateRenderError) return problem(422, 'version', error.message);
    if (error instanceof TemplateCheckError) return problem(422, error.problems[0]?.part ?? '(body)', error.message);
    if (error instanceof TemplateCheckTimeoutError) return problem(422, '(body)', error.message);
    throw error;
  }
}
