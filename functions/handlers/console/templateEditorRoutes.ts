import { z } from 'zod';
import { StaleRevisionError } from '../../adapters/dynamo/authoringStore';
import { templatePartsSchema, type TemplateParts } from '../../domain/authoring/draftParts';
import type { TemplateEditorData } from '../../domain/authoring/editorData';
import { isName, NAME_RULE } from '../../domain/authoring/safeKeys';
import { STARTERS } from '../../domain/authoring/starters';
import { fieldDeclarationSchema } from '../../domain/rendering/publishedTemplate';
import { SUPPORTED_LOCALES } from '../../domain/events/events';
import { PERSONALIZATION_LEVELS } from '../../domain/customers/profile';
import { consoleScript } from '../../adapters/consoleAssets/consoleAssets';
import { saveTemplateDraft, templateDraft, UnknownDraftError } from '../../usecases/authoring';
import { previewTemplateParts, saveAndPreviewTemplateDraft, testSendTemplateParts } from '../../usecases/draftPreview';
import { loadVersion, UnknownTemplateError } from '../../usecases/templates';
import { parseWith } from '../bodySchema';
import { json, parseJsonBody, problem, type HttpRequest, type HttpResponse } from '../http';
import { logTestSend, testSendAddress, testSendRefusal } from '../templateApiHandler';
import { tooManyRenders, viaAdminApi, type EditorDeps } from './editorApi';
import { refuseUnless } from '../adminApiHandler';
import { html, may, page, seeOther, type PageContext } from './html';
import { newTemplatePage, templateEditorPage } from './templateEditorPage';
import { jsonAnswerTo } from '../errorAnswers';

/**
 * The template editor's routes in the console (session and CSRF checked by the console handler):
 *   GET  /admin/templates/new                   "New template": a name, from a starter or a copy
 *   POST /admin/templates/new                   creates the draft, then opens the editor
 *   GET  /admin/templates/{name}/edit           the editor
 *   POST /admin/templates/{name}/draft          JSON {revision?, parts, locale, sample?}: save and preview (editors; 409 when stale)
 *   POST /admin/templates/{name}/draft/preview  JSON {parts, locale, sample?}: preview without saving (anyone signed in)
 *   POST /admin/templates/{name}/draft/test-send  JSON {parts, locale, sample?, to}: the preview to one address (editors)
 *   POST /admin/templates/{name}/draft/publish  the admin API's publish, as the signed-in person (publishers)
 * Saves and previews count against the person's renders a minute (PREVIEWS_PER_MINUTE; 429 past it).
 */

const view = { locale: z.enum(SUPPORTED_LOCALES).default('en'), sample: z.string().max(64).optional() };
const saveBody = z.object({ revision: z.number().int().min(0).optional(), parts: templatePartsSchema, ...view }).strict();
const previewBody = z.object({ parts: templatePartsSchema, ...view }).strict();
const testSendBody = previewBody.extend({ to: testSendAddress }).strict();

function bodyOf<T>(request: HttpRequest, schema: z.ZodType<T>): { value: T } | { response: HttpResponse } {
  const raw = parseJsonBody(request);
  return 'response' in raw ? raw : parseWith(schema, raw.value);
}

const lacks = (deps: EditorDeps, role: 'editor' | 'publisher'): HttpResponse | undefined => refuseUnless(deps.principal, role);

export async function templateEditorRoute(
  method: string,
  segments: string[],
  request: HttpRequest,
  form: URLSearchParams,
  ctx: PageContext,
  deps: EditorDeps,
): Promise<HttpResponse | undefined> {
  const [, name, action, sub] = segments;
  if (!name) return undefined;
  if (name === 'new' && !action) return method === 'GET' ? newTemplate(ctx, deps) : createTemplate(form, ctx, deps);
  if (!isName(name)) return undefined;
  const enc = encodeURIComponent(name);
  if (method === 'GET' && action === 'edit' && !sub) return editor(name, ctx, deps);
  if (method !== 'POST' || action !== 'draft') return undefined;
  if (!sub) {
    const no = lacks(deps, 'editor') ?? tooManyRenders(deps);
    if (no) return no;
    const wanted = bodyOf(request, saveBody);
    if ('response' in wanted) return wanted.response;
    const { revision, parts, locale, sample } = wanted.value;
    try {
      const view = { locale, ...(sample ? { sample } : {}) };
      return json(200, await saveAndPreviewTemplateDraft(name, revision, parts, view, deps.principal, deps));
    } catch (error) {
      // A stale revision: 409 with the current revision and the parts it changed.
      return jsonAnswerTo(error);
    }
  }
  if (sub === 'preview') {
    const busy = tooManyRenders(deps);
    if (busy) return busy;
    const wanted = bodyOf(request, previewBody);
    if ('response' in wanted) return wanted.response;
    const { parts, locale, sample } = wanted.value;
    return json(200, await previewTemplateParts(name, parts, { locale, ...(sample ? { sample } : {}) }, deps));
  }
  if (sub === 'test-send') return testSend(name, request, deps);
  if (sub === 'publish') return viaAdminApi('POST', `/admin/api/templates/${enc}/draft/publish`, undefined, deps);
  return undefined;
}

async function editor(name: string, ctx: PageContext, deps: EditorDeps): Promise<HttpResponse> {
  let draft;
  try {
    draft = await templateDraft(name, deps);
  } catch (error) {
    if (!(error instanceof UnknownDraftError)) throw error;
    return page(
      'Not found',
      ctx,
      html`<h1>Not found</h1>
        <p>${error.message}. <a href="/admin/templates/new">New template</a></p>`,
      404,
    );
  }
  const latest = await deps.catalogStore.latestTemplateVersion(name);
  const published = latest ? await loadVersion(name, latest, deps) : undefined;
  const enc = encodeURIComponent(name);
  const data: TemplateEditorData = {
    name,
    revision: draft.revision,
    ...(draft.savedAt ? { savedAt: draft.savedAt, savedBy: draft.savedBy } : {}),
    parts: draft.parts as TemplateParts,
    validation: draft.validation,
    ...(published ? { published: { version: published.version, parts: deps.templateValidator.partsOf(published) } } : {}),
    locales: SUPPORTED_LOCALES,
    fieldTypes: fieldDeclarationSchema.shape.type.options,
    levels: PERSONALIZATION_LEVELS,
    shopName: deps.config.shopName,
    canEdit: may(ctx, 'editor'),
    canPublish: may(ctx, 'publisher'),
    requireApproval: deps.requireApproval,
    csrf: ctx.csrf,
    urls: {
      save: `/admin/templates/${enc}/draft`,
      preview: `/admin/templates/${enc}/draft/preview`,
      testSend: `/admin/templates/${enc}/draft/test-send`,
      publish: `/admin/templates/${enc}/draft/publish`,
    },
  };
  return templateEditorPage(ctx, data, await consoleScript('template-editor'));
}

async function templateNames(deps: EditorDeps): Promise<string[]> {
  const [pointers, drafts] = await Promise.all([deps.catalogStore.listTemplatePointers(), deps.authoring.listDrafts('template')]);
  return [...new Set([...pointers.map((p) => p.name), ...drafts.map((d) => d.name)])].sort();
}

async function newTemplate(ctx: PageContext, deps: EditorDeps): Promise<HttpResponse> {
  return newTemplatePage(ctx, { templates: await templateNames(deps), starters: STARTERS });
}

/** A new name only: a template that exists (published or drafted) is edited, not created again. */
async function createTemplate(form: URLSearchParams, ctx: PageContext, deps: EditorDeps): Promise<HttpResponse> {
  const templates = await templateNames(deps);
  const name = (form.get('name') ?? '').trim();
  const from = form.get('from') ?? '';
  const again = (error: string, status: number) => newTemplatePage(ctx, { templates, starters: STARTERS, error, name, from }, status);
  if (!may(ctx, 'editor')) return again(`Creating a template needs the editor role; ${deps.principal.actor} is a viewer.`, 403);
  if (!isName(name) || name === 'new') return again(`The name ${NAME_RULE}, and is not "new".`, 400);
  if (templates.includes(name)) return again(`There is already a template named ${name}: open it from the list to edit it.`, 409);
  let parts: TemplateParts | undefined;
  if (from.startsWith('starter:')) parts = STARTERS.find((s) => `starter:${s.id}` === from)?.parts;
  else if (from.startsWith('copy:') && templates.includes(from.slice('copy:'.length))) {
    try {
      parts = (await templateDraft(from.slice('copy:'.length), deps)).parts as TemplateParts;
    } catch (error) {
      if (!(error instanceof UnknownDraftError || error instanceof UnknownTemplateError)) throw error;
    }
  }
  if (!parts) return again('Choose what the template starts from.', 400);
  try {
    await saveTemplateDraft(name, undefined, structuredClone(parts), deps.principal, deps);
  } catch (error) {
    if (error instanceof StaleRevisionError) return again(`There is already a draft named ${name}.`, 409);
    throw error;
  }
  return seeOther(`/admin/templates/${encodeURIComponent(name)}/edit`);
}

async function testSend(name: string, request: HttpRequest, deps: EditorDeps): Promise<HttpResponse> {
  const no = lacks(deps, 'editor');
  if (no) return no;
  const wanted = bodyOf(request, testSendBody);
  if ('response' in wanted) return wanted.response;
  const { parts, locale, sample, to } = wanted.value;
  const refused = await testSendRefusal(to, deps);
  if (refused)
    return problem(refused.status, 'to', refused.message, refused.retryAfter ? { 'retry-after': String(refused.retryAfter) } : {});
  const sent = await testSendTemplateParts(name, parts, { locale, ...(sample ? { sample } : {}) }, to, deps);
  if ('previewError' in sent) return problem(422, 'parts', sent.previewError);
  await logTestSend(name, `draft (${sent.preview.version})`, sent.preview.locale, deps);
  return json(202, { messageId: sent.messageId, locale: sent.preview.locale, sample: sent.preview.sample });
}
