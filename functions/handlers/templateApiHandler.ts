import { z } from 'zod';
import { UnknownTemplateVersionError } from '../adapters/dynamo/catalogStore';
import { formatPath, SUPPORTED_LOCALES } from '../domain/events';
import { publishedTemplateSchema } from '../domain/rendering/publishedTemplate';
import { templateSampleSchema } from '../domain/rendering/sample';
import { TemplateRenderError } from '../domain/rendering/renderer';
import { MissingDataError } from '../domain/rendering/context';
import {
  loadVersion,
  previewPublished,
  publishTemplateVersion,
  rollbackTemplate,
  sendTestEmail,
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
    version: z.string().regex(/^[0-9a-f]{12}$/, 'a published version: 12 hex digits').optional(),
  })
  .strict();
const testSendBody = previewBody.extend({ to: z.email().max(254) }).strict();
const rollbackBody = z.object({ version: z.string().regex(/^[0-9a-f]{12}$/, 'a published version: 12 hex digits') }).strict();

function parse<T>(schema: z.ZodType<T>, value: unknown): { value: T } | { response: HttpResponse } {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return { value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { response: problem(400, formatPath(issue.path) || '(body)', issue.message) };
}

export async function handleTemplateApi(request: HttpRequest, deps: TemplateDeps): Promise<HttpResponse> {
  const name = request.pathParameters?.['name'];
  const path = request.rawPath;
  try {
    if (name === undefined) return json(200, { templates: await deps.catalogStore.listTemplatePointers() });
    if (request.requestContext.http.method === 'GET') return json(200, await templateHistory(name, deps));
    const body = parseJsonBody(request);
    if ('response' in body) return body.response;
    if (path.endsWith('/versions')) {
      const template = parse(publishedTemplateSchema, body.value);
      if ('response' in template) return template.response;
      if (template.value.name !== name) return problem(400, 'name', `is "${template.value.name}" but the path names "${name}"`);
      const published = await publishTemplateVersion(template.value, deps);
      return json(published.changed ? 201 : 200, published);
    }
    if (path.endsWith('/rollback')) {
      const wanted = parse(rollbackBody, body.value);
      if ('response' in wanted) return wanted.response;
      return json(200, await rollbackTemplate(name, wanted.value.version, deps));
    }
    const isTestSend = path.endsWith('/test-send');
    const wanted = parse(isTestSend ? testSendBody : previewBody, body.value);
    if ('response' in wanted) return wanted.response;
    const preview = previewPublished(await loadVersion(name, wanted.value.version, deps), wanted.value, deps.config);
    if (!isTestSend) return json(200, preview);
    const { messageId } = await sendTestEmail(preview, (wanted.value as z.infer<typeof testSendBody>).to, deps);
    return json(202, { messageId, template: preview.template, version: preview.version, locale: preview.locale, sample: preview.sample });
  } catch (error) {
    if (error instanceof UnknownTemplateError || error instanceof UnknownTemplateVersionError) return problem(404, 'name', error.message);
    if (error instanceof UnknownSampleError) return problem(400, 'sample', error.message);
    if (error instanceof MissingDataError) return problem(422, 'sampleData', error.message);
    if (error instanceof TemplateRenderError) return problem(422, 'version', error.message);
    throw error;
  }
}
