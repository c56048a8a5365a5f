import { isoNow } from '../../adapters/clock';
import { MissingDataError } from '../../domain/rendering/context';
import { isTemplateVersion } from '../../domain/rendering/publishedTemplate';
import { TemplateRenderError } from '../../domain/rendering/renderer';
import { logger } from '../../shared/logger';
import { approvePublish, publishTemplateDraft, rollbackTemplateLogged } from '../../usecases/authoring';
import {
  isLocale,
  loadVersion,
  previewVersion,
  publishTemplateVersion,
  rollbackTemplate,
  sendTestEmail,
  templateHistory,
  UnknownSampleError,
  UnknownTemplateError,
  type TemplateHistory,
} from '../../usecases/templates';
import { refusalOf } from '../errorAnswers';
import type { HttpResponse } from '../http';
import { logTestSend, testSendAddress, testSendRefusal } from '../templateApiHandler';
import type { ActingDeps, ConsoleDeps } from './consoleHandler';
import { html, page, seeOther, type PageContext } from './html';
import { templatePage } from './templatePages';

/** A template's console page and its forms: preview, publish (the working copy or a draft), approve, roll back, test send. */

export async function templateRoute(
  method: string,
  name: string,
  action: string | undefined,
  query: Record<string, string | undefined>,
  form: URLSearchParams,
  ctx: PageContext,
  deps: ActingDeps,
): Promise<HttpResponse> {
  const base = `/admin/templates/${encodeURIComponent(name)}`;
  const locale = isLocale(query['locale'] ?? form.get('locale')) ? ((query['locale'] ?? form.get('locale')) as 'en' | 'pl' | 'ru') : 'en';
  const version = (query['version'] ?? form.get('version') ?? undefined) || undefined;
  if (version !== undefined && !isTemplateVersion(version))
    return page(
      'Not found',
      ctx,
      html`<h1>Not found</h1>
        <p>No version ${version}.</p>`,
      404,
    );
  const sample = (query['sample'] ?? form.get('sample') ?? undefined) || undefined;

  if (method === 'GET' && action === 'preview') {
    const preview = await previewVersion(await loadVersion(name, version, deps), { locale, sample }, deps);
    // The email itself, framed by the console only; sandboxed, so nothing in it can run.
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
      },
      body: preview.email.html,
    };
  }
  if (method === 'POST' && action === 'publish') {
    const draft = await deps.drafts?.validate(name);
    if (!draft?.published || !draft.ok)
      return page(
        'Not published',
        ctx,
        html`<h1>Not published</h1>
          <p>The working copy of ${name} does not validate.</p>
          <p><a href="${base}">Back</a></p>`,
        422,
      );
    const note = noteOf(form);
    const credit = { by: deps.actor, ...(note ? { note } : {}) };
    const result = await publishTemplateVersion({ ...draft.published, publishedAt: isoNow(deps.clock) }, deps, credit);
    logger.info('console: template published', { actor: deps.actor, template: name, version: result.version, changed: result.changed });
    const summary = `version ${result.version} from the working copy`;
    await deps.changes.record({ at: isoNow(deps.clock), actor: deps.actor, action: 'published', subject: `template:${name}`, summary });
    return seeOther(`${base}?notice=${result.changed ? 'published' : 'unchanged'}&locale=${locale}`);
  }
  if (method === 'POST' && action === 'rollback' && version) {
    await rollbackTemplate(name, version, deps);
    await rollbackTemplateLogged(name, version, deps.principal, deps);
    logger.info('console: template rolled back', { actor: deps.actor, template: name, version });
    return seeOther(`${base}?notice=rolled-back&locale=${locale}`);
  }
  if (method === 'POST' && action === 'test-send') {
    const to = form.get('to') ?? '';
    if (!testSendAddress.safeParse(to).success)
      return templateView(name, { ...ctx, alert: 'Test send: that is not an email address.' }, deps, locale, version, sample);
    const no = await testSendRefusal(to, deps);
    if (no) {
      const alert = `Test send: ${no.status === 429 ? no.message : `that address ${no.message}`}.`;
      const view = await templateView(name, { ...ctx, alert }, deps, locale, version, sample);
      const retry: Record<string, string> = no.retryAfter ? { 'retry-after': String(no.retryAfter) } : {};
      return { ...view, statusCode: no.status, headers: { ...view.headers, ...retry } };
    }
    const preview = await previewVersion(await loadVersion(name, version, deps), { locale, sample }, deps);
    await sendTestEmail(preview, to, deps);
    await logTestSend(name, preview.version, preview.locale, deps);
    logger.info('console: test email sent', { actor: deps.actor, template: name, version: preview.version });
    return seeOther(`${base}?notice=test-sent&version=${preview.version}&locale=${locale}&sample=${encodeURIComponent(preview.sample)}`);
  }
  if (method === 'POST' && (action === 'publish-draft' || action === 'approve')) {
    try {
      const answer =
        action === 'approve'
          ? await approvePublish('template', name, deps.principal, deps)
          : await publishTemplateDraft(name, deps.principal, deps, noteOf(form));
      const notice = 'awaitingApproval' in answer ? 'awaiting-approval' : action === 'approve' ? 'approved' : 'published';
      return seeOther(`${base}?notice=${notice}&locale=${locale}`);
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      return templateView(name, { ...ctx, alert: `Not published: ${refusal.message}` }, deps, locale, version, sample, refusal.status);
    }
  }
  if (method === 'GET' && !action) return templateView(name, ctx, deps, locale, version, sample);
  return page('Not found', ctx, html`<h1>Not found</h1>`, 404);
}

/** The publisher's note from a publish form: trimmed, at most 500 characters, none when empty. */
function noteOf(form: URLSearchParams): string | undefined {
  const note = (form.get('note') ?? '').trim().slice(0, 500);
  return note || undefined;
}

async function templateView(
  name: string,
  ctx: PageContext,
  deps: ConsoleDeps,
  locale: 'en' | 'pl' | 'ru',
  version: string | undefined,
  sample: string | undefined,
  status = 200,
): Promise<HttpResponse> {
  const hasDraft = deps.drafts?.names().includes(name) ?? false;
  let history: TemplateHistory | undefined;
  try {
    history = await templateHistory(name, deps);
  } catch (error) {
    if (!(error instanceof UnknownTemplateError) || !hasDraft) throw error;
  }
  const [draft, shown] = await Promise.all([
    hasDraft ? deps.drafts!.validate(name) : undefined,
    history ? loadVersion(name, version, deps) : undefined,
  ]);
  let preview;
  let alert = ctx.alert;
  if (shown && Object.keys(shown.samples ?? {}).length) {
    try {
      preview = await previewVersion(shown, { locale, sample }, deps);
    } catch (error) {
      if (!(error instanceof UnknownSampleError || error instanceof MissingDataError || error instanceof TemplateRenderError)) throw error;
      alert = `Preview: ${error.message}`;
    }
  }
  const [stored, approvals] = await Promise.all([deps.authoring.getDraft('template', name), deps.authoring.pendingApprovals()]);
  const pending = approvals.find((a) => a.kind === 'template' && a.name === name);
  const catalogDraft = stored && { revision: stored.revision, savedAt: stored.savedAt, savedBy: stored.savedBy, pending };
  const shownPage = templatePage({ ...ctx, alert }, { name, history, shown, locale, sample, draft, preview, catalogDraft });
  return { ...shownPage, statusCode: status };
}
