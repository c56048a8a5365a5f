import { isoNow } from '../../adapters/clock';
import type { ValidationReport } from '../../publishing/templateValidation';
import { MissingDataError } from '../../domain/rendering/context';
import { TemplateRenderError } from '../../domain/rendering/renderer';
import { isTemplateVersion } from '../../domain/rendering/publishedTemplate';
import { logger } from '../../shared/logger';
import { simulateCampaign, UnknownCampaignError } from '../../usecases/simulateCampaign';
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
import type { AdminApiDeps } from '../adminApiHandler';
import { testSendAddress } from '../templateApiHandler';
import { campaignReport } from '../../usecases/campaignReport';
import { RANGES, reportsPage } from './reportPages';
import { integrationsRoute } from './integrationPages';
import { bearerPrincipal } from '../adminApiHandler';
import { apiKeyMatches, sameString } from '../apiKeys';
import { allows, lacksRole, roleOfGroups, type Principal, type Role } from '../../domain/authoring/roles';
import { logTestSend, testSendRefusal } from '../templateApiHandler';
import { approvePublish, pauseCampaign, publishTemplateDraft, resumeCampaign, rollbackTemplateLogged } from '../../usecases/authoring';
import { changesPage } from './authoringPages';
import { customersRoute } from './customerPages';
import { broadcastsRoute, segmentsRoute } from './broadcastConsole';
import { addressHash } from '../../domain/consent/addressHash';
import { editorRoute } from './editorApi';
import { csrfFor, csrfValid, sameOrigin } from '../formSecurity';
import { bodyText, header, type HttpHandler, type HttpRequest, type HttpResponse } from '../http';
import { RateLimiter } from '../../lib/rateLimiter';
import { page, refusalPage, seeOther, html, type PageContext } from './html';
import { campaignPage, campaignsPage, signInPage, templatePage, templatesPage, type CampaignRow } from './pages';
import { createHash, randomBytes } from 'node:crypto';
import { SignInError, type ConsoleIdentityProvider } from '../../adapters/auth/cognitoSignIn';
import {
  FLOW_COOKIE,
  flowCookie,
  IDP_SESSION_SECONDS,
  issueSession,
  readCookie,
  readSession,
  SESSION_COOKIE,
  sessionCookie,
} from './session';
import { refusalOf } from '../errorAnswers';

/**
 * The marketers' web console at /admin: campaigns, templates (validation, preview, publish, rollback,
 * test send), simulation and results. People sign in once with the admin key and get an HttpOnly,
 * SameSite=Strict session cookie; scripts may use `Authorization: Bearer` instead. Without either,
 * pages redirect to the sign-in page.
 */

export interface ConsoleDeps extends AdminApiDeps {
  /** The working copy of templates/ (npm start only: the Lambda has no repository, nor mjml). */
  drafts?: { names(): string[]; validate(name: string): Promise<ValidationReport> };
  /** Sign-in attempts per client address (default 10 a minute). */
  signInLimiter?: RateLimiter;
  secureCookies: boolean;
  /** Signs sessions and CSRF tokens; a key of its own, so rotating it touches no link in any email. */
  sessionKey: () => Promise<Buffer>;
  /**
   * People sign in with their own accounts here (Cognito on AWS) instead of typing the admin key;
   * scripts still use the bearer key.
   */
  identityProvider?: ConsoleIdentityProvider;
}

const NOTICES: Record<string, string> = {
  published: 'Published: the next sends use this version.',
  unchanged: 'That version was already the one sending.',
  'rolled-back': 'Rolled back: the next sends use the version marked sending.',
  'test-sent': 'Test email sent.',
  'key-revoked': 'Key revoked: requests with it are refused from now on.',
  paused: 'Paused: due steps are held until you resume.',
  resumed: 'Resumed: held steps go out over the next minutes, each through the usual checks.',
  'awaiting-approval': 'Asked for approval: another publisher must approve this publish.',
  approved: 'Approved and published: the next sends use this version.',
  'segment-saved': 'Segment saved.',
  'broadcast-scheduled': 'Broadcast scheduled: its first recipients are reached when their time comes.',
  'broadcast-cancelled': 'Broadcast cancelled: nothing more of it is sent.',
};

/** Sessions run on wall time, as the cookie's Max-Age does (not on the application clock). */
/** With milliseconds: a session issued right after a "sign out everyone" must be told from one just before. */
const nowSeconds = (): number => Date.now() / 1000;

function cookieOf(request: HttpRequest, name = SESSION_COOKIE): string | undefined {
  for (const cookie of request.cookies ?? []) {
    const value = readCookie(cookie, name);
    if (value) return value;
  }
  return readCookie(header(request, 'cookie'), name);
}

/**
 * After the identity provider's redirect (a cross-site navigation) a SameSite=Strict cookie would not
 * be sent on a further redirect; a page of ours that moves on is a same-site navigation, so it is.
 */
function continuePage(next: string, cookies: string[], title = 'Signed in'): HttpResponse {
  const response = page(title, undefined, html`<p>${title}… <a href="${next}">Continue</a></p>`);
  return { ...response, headers: { ...response.headers, refresh: `0;url=${next}` }, cookies };
}

async function identityProviderRoute(
  request: HttpRequest,
  path: string,
  idp: ConsoleIdentityProvider,
  deps: ConsoleDeps,
  signingKey: Buffer,
): Promise<HttpResponse> {
  const redirectUri = `${deps.config.publicBaseUrl}/admin/auth/callback`;
  const query = request.queryStringParameters ?? {};
  if (path === '/admin/sign-in') {
    const state = randomBytes(18).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const next = Buffer.from(safeNext(query['next'])).toString('base64url');
    return {
      ...seeOther(idp.authorizationUrl({ state, codeChallenge: challenge, redirectUri })),
      cookies: [flowCookie(`${state}.${verifier}.${next}`, deps.secureCookies)],
    };
  }
  const [state, verifier, next] = (cookieOf(request, FLOW_COOKIE) ?? '').split('.');
  const clear = flowCookie('', deps.secureCookies, 0);
  if (query['error']) {
    // The provider said no (or the person cancelled): say so, not "expired".
    const reason = `${query['error']}${query['error_description'] ? `: ${query['error_description']}` : ''}`.slice(0, 300);
    return {
      ...page(
        'Sign-in failed',
        undefined,
        html`<h1>Sign-in failed</h1>
          <p>The sign-in service answered ${reason}. <a href="/admin/sign-in">Try again</a>.</p>`,
        401,
      ),
      cookies: [clear],
    };
  }
  if (!state || !verifier || !query['code'] || !query['state'] || !sameString(query['state'], state)) {
    return {
      ...page(
        'Sign-in failed',
        undefined,
        html`<h1>Sign-in failed</h1>
          <p>The sign-in expired or did not start here. <a href="/admin/sign-in">Try again</a>.</p>`,
        400,
      ),
      cookies: [clear],
    };
  }
  let subject: string;
  let groups: string[] | undefined;
  try {
    ({ subject, groups } = await idp.signIn({ code: query['code'], codeVerifier: verifier, redirectUri }));
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    logger.warn('console sign-in refused by the identity provider check', { reason: error.message });
    return {
      ...page(
        'Sign-in failed',
        undefined,
        html`<h1>Sign-in failed</h1>
          <p>${error.message}. <a href="/admin/sign-in">Try again</a>.</p>`,
        401,
      ),
      cookies: [clear],
    };
  }
  const role = roleOfGroups(groups);
  const session = issueSession(signingKey, { kind: 'idp', subject, role }, nowSeconds());
  logger.info('console sign-in', { actor: `idp:${subject}`, role });
  return continuePage(safeNext(Buffer.from(next ?? '', 'base64url').toString()), [
    sessionCookie(session, deps.secureCookies, IDP_SESSION_SECONDS),
    clear,
  ]);
}

/** Only same-site paths under /admin: a sign-in link cannot send anyone elsewhere. */
function safeNext(value: string | null | undefined): string {
  return value && /^\/admin(\/[\w\-./?=&%]*)?$/.test(value) && !value.startsWith('//') ? value : '/admin';
}

export function makeConsoleHandler(deps: ConsoleDeps): HttpHandler {
  const limiter = deps.signInLimiter ?? new RateLimiter(10, 60_000);
  return async (request) => {
    const method = request.requestContext.http.method;
    const path = request.rawPath.replace(/\/+$/, '') || '/admin';
    const query = request.queryStringParameters ?? {};
    const signingKey = await deps.sessionKey();
    const adminKeys = await deps.adminKeys();
    const editorKeys = (await deps.editorKeys?.()) ?? [];

    if (path === '/admin/signed-out' && method === 'GET')
      return page(
        'Signed out',
        undefined,
        html`<section class="card narrow">
          <h1>Signed out</h1>
          <p><a href="/admin">Sign in again</a></p>
        </section>`,
      );
    if (deps.identityProvider && method === 'GET' && (path === '/admin/sign-in' || path === '/admin/auth/callback')) {
      return identityProviderRoute(request, path, deps.identityProvider, deps, signingKey);
    }
    if (path === '/admin/sign-in' && !deps.identityProvider) {
      if (method === 'GET') return signInPage(safeNext(query['next']));
      const form = new URLSearchParams(bodyText(request));
      if (limiter.take(request.requestContext.http.sourceIp || 'unknown') > 0)
        return signInPage(safeNext(form.get('next')), 'Too many attempts: wait a minute and try again.');
      if (!sameOrigin(request) || !apiKeyMatches(form.get('key') ?? undefined, [...adminKeys, ...editorKeys])) {
        logger.warn('console sign-in refused');
        return signInPage(safeNext(form.get('next')), 'That is not the admin key. It is not an editor key either.');
      }
      const session = issueSession(signingKey, { kind: 'key', adminKey: form.get('key')! }, nowSeconds());
      return seeOther(safeNext(form.get('next')), [sessionCookie(session, deps.secureCookies)]);
    }

    const session = cookieOf(request);
    const read = readSession(session, signingKey, { adminKeys, editorKeys, idp: Boolean(deps.identityProvider) }, nowSeconds());
    // Signed out, or everyone was: the cookie is over, whatever it says (one read per request).
    const live = read && !(await deps.changes.sessionRevoked(read.nonce, read.issuedAt)) ? read : undefined;
    const bySession = live !== undefined;
    const principal: Principal | undefined = live ? { actor: live.actor, role: live.role } : await bearerPrincipal(request, deps);
    if (!principal) {
      const next = method === 'GET' ? path + (request.rawQueryString ? `?${request.rawQueryString}` : '') : '/admin';
      if (method === 'GET' || deps.identityProvider) return seeOther(`/admin/sign-in?next=${encodeURIComponent(next)}`);
      return { ...signInPage('/admin', 'Your session has ended: sign in again.'), statusCode: 401 };
    }
    const csrf = bySession ? csrfFor(session!, signingKey, 'tactful.console.csrf.v1') : '';
    const notice = query['notice'];
    const ctx: PageContext = {
      csrf,
      role: principal.role,
      notice: notice && Object.hasOwn(NOTICES, notice) ? NOTICES[notice] : undefined,
      zone: deps.config.defaultTimeZone,
      now: deps.clock.now().toISOString(),
    };

    let form = new URLSearchParams();
    if (method === 'POST') {
      // The editors' calls are JSON with the token in a header (editorApi.ts); forms carry it as a field.
      const isJson = /^application\/json\b/i.test(header(request, 'content-type') ?? '');
      form = isJson ? form : new URLSearchParams(bodyText(request));
      const token = isJson ? header(request, 'x-csrf-token') : form.get('csrf');
      // A browser session must prove the form is ours; a bearer caller is a script, not a browser.
      if (bySession && (!sameOrigin(request) || !csrfValid(token, session!, signingKey, 'tactful.console.csrf.v1'))) {
        return page(
          'Refused',
          ctx,
          html`<h1>Refused</h1>
            <p>That form did not come from this console. Reload the page and try again.</p>`,
          403,
        );
      }
      if (path === '/admin/sign-out-everyone') {
        if (!allows(principal.role, 'publisher')) {
          return page(
            'Refused',
            ctx,
            html`<h1>Refused</h1>
              <p>Signing everyone out ${lacksRole(principal, 'publisher')}.</p>`,
            403,
          );
        }
        await deps.changes.revokeAllSessions(nowSeconds());
        const at = isoNow(deps.clock);
        await deps.changes.record({
          at,
          actor: principal.actor,
          action: 'signed-out-everyone',
          subject: 'console',
          summary: 'every console session ended',
        });
        return seeOther('/admin/sign-in', [sessionCookie('', deps.secureCookies, 0)]);
      }
      if (path === '/admin/sign-out') {
        // The session ends on the server too: a copy of the cookie no longer works.
        if (live) await deps.changes.revokeSession(live.nonce, live.expiresAt);
        // Ends the provider's session too, or its cookie would sign the person straight back in.
        const cleared = [sessionCookie('', deps.secureCookies, 0)];
        const logout = deps.identityProvider?.logoutUrl?.(`${deps.config.publicBaseUrl}/admin/signed-out`);
        // A page that moves on, not a redirect: the CSP's form-action would stop a form's redirect to the provider.
        return logout ? continuePage(logout, cleared, 'Signing out') : seeOther('/admin/sign-in', cleared);
      }
    }

    let segments: string[];
    try {
      segments = path.split('/').slice(2).map(decodeURIComponent);
    } catch {
      return page(
        'Bad address',
        ctx,
        html`<h1>Bad address</h1>
          <p>The path is not valid percent-encoding.</p>`,
        400,
      );
    }
    try {
      const acting = { ...deps, actor: principal.actor, principal };
      return await route(method, segments, request, form, { ...ctx, section: sectionOf(segments[0]) }, acting);
    } catch (error) {
      return refusalPage(error, ctx);
    }
  };
}

function sectionOf(first: string | undefined): PageContext['section'] {
  const sections = ['templates', 'segments', 'broadcasts', 'customers', 'reports', 'integrations', 'changes'] as const;
  return (sections as readonly string[]).includes(first ?? '') ? (first as PageContext['section']) : 'campaigns';
}

/** Who is acting, for the record of changes: `admin-key`, `editor-key` or `idp:<subject>` (a staff account, never a customer). */
type ActingDeps = ConsoleDeps & { actor: string; principal: Principal };

/** The least role each console form needs; pages only show the forms a role may use. */
const FORM_ROLES: Record<string, Role> = {
  simulate: 'editor',
  'test-send': 'editor',
  publish: 'publisher',
  rollback: 'publisher',
  pause: 'publisher',
  resume: 'publisher',
  'publish-draft': 'publisher',
  approve: 'publisher',
};

function refused(ctx: PageContext, principal: Principal, action: string): HttpResponse | undefined {
  const needs = FORM_ROLES[action];
  if (!needs || allows(principal.role, needs)) return undefined;
  return page(
    'Refused',
    ctx,
    html`<h1>Refused</h1>
      <p>${action}: ${lacksRole(principal, needs)}.</p>`,
    403,
  );
}

async function route(
  method: string,
  segments: string[],
  request: HttpRequest,
  form: URLSearchParams,
  ctx: PageContext,
  deps: ActingDeps,
): Promise<HttpResponse> {
  const [section, id, action] = segments;
  const query = request.queryStringParameters ?? {};
  const edited = await editorRoute(method, segments, request, form, ctx, deps);
  if (edited) return edited;
  if (method === 'POST' && action) {
    const no = refused(ctx, deps.principal, action);
    if (no) return no;
  }
  if (!section && method === 'GET') return campaignList(ctx, deps);
  if (section === 'changes' && !id && method === 'GET') return changesPage(ctx, await deps.changes.changes());
  if (section === 'campaigns' && id) {
    const campaign = await deps.catalog.campaign(id);
    if (!campaign) throw new UnknownCampaignError(id);
    const paused = (await deps.authoring.pausedCampaigns()).find((p) => p.campaignId === id);
    if (method === 'POST' && action === 'simulate') return campaignPage(ctx, campaign, await simulateCampaign(id, undefined, deps), paused);
    if (method === 'POST' && (action === 'pause' || action === 'resume')) {
      await (action === 'pause' ? pauseCampaign : resumeCampaign)(id, deps.principal, deps);
      return seeOther(`/admin/campaigns/${encodeURIComponent(id)}?notice=${action === 'pause' ? 'paused' : 'resumed'}`);
    }
    if (method === 'GET' && !action) return campaignPage(ctx, campaign, undefined, paused);
  }
  if (section === 'templates' && !id && method === 'GET')
    return templatesPage(
      ctx,
      await deps.catalogStore.listTemplatePointers(),
      deps.drafts?.names() ?? [],
      (await deps.authoring.listDrafts('template')).map((d) => d.name),
    );
  if (section === 'templates' && id) return templateRoute(method, id, action, query, form, ctx, deps);
  if (section === 'reports' && !id && method === 'GET') return reports(query, ctx, deps);
  if (section === 'customers') {
    const tokenKey = deps.tokenKey;
    const lookup = {
      customers: deps.customers,
      clock: deps.clock,
      addressHash: async (a: string) => addressHash(a, await tokenKey()),
      campaigns: () => deps.catalog.campaigns(),
    };
    const answer = await customersRoute(
      method,
      segments.slice(1),
      form,
      ctx,
      { actor: deps.actor, via: 'console' },
      deps.config.defaultTimeZone,
      lookup,
    );
    if (answer) return answer;
  }
  if (section === 'segments') {
    const answer = await segmentsRoute(method, id, form, ctx, deps);
    if (answer) return answer;
  }
  if (section === 'broadcasts') {
    const answer = await broadcastsRoute(method, id, action, form, ctx, deps);
    if (answer) return answer;
  }
  if (section === 'integrations') {
    // Creating or revoking a shop's key is a publisher's.
    if (method === 'POST' && !allows(deps.principal.role, 'publisher')) {
      return page(
        'Refused',
        ctx,
        html`<h1>Refused</h1>
          <p>Changing keys ${lacksRole(deps.principal, 'publisher')}.</p>`,
        403,
      );
    }
    return integrationsRoute(method, segments.slice(1), form, ctx, deps.integrations, deps.actor, deps.customers);
  }
  return page(
    'Not found',
    ctx,
    html`<h1>Not found</h1>
      <p>Nothing here.</p>`,
    404,
  );
}

async function campaignList(ctx: PageContext, deps: ConsoleDeps): Promise<HttpResponse> {
  const [campaigns, pointers] = await Promise.all([deps.catalog.campaigns(), deps.catalogStore.listTemplatePointers()]);
  const report = await campaignReport({ since: '7d' }, deps);
  const results = new Map(report.campaigns.map((c) => [c.campaignId, c.totals]));
  const published = new Set(pointers.map((p) => p.name));
  const rows: CampaignRow[] = campaigns
    .map((campaign) => {
      const totals = results.get(campaign.id);
      const headline = totals && {
        sent: totals.counts.sent,
        openRate: totals.rates.openRate,
        clickRate: totals.rates.clickRate,
        conversions: totals.counts.converted,
        optOutRate: totals.rates.optOutRate,
      };
      return { campaign, headline, templatesPublished: campaign.steps.every((s) => published.has(s.template)) };
    })
    .sort((a, b) => a.campaign.name.localeCompare(b.campaign.name));
  const deployed = new Set(campaigns.map((c) => c.id));
  const drafts = (await deps.authoring.listDrafts('campaign')).map((d) => d.name).filter((id) => !deployed.has(id));
  return campaignsPage(ctx, rows, 'last 7 days', drafts.sort());
}

async function reports(query: Record<string, string | undefined>, ctx: PageContext, deps: ConsoleDeps): Promise<HttpResponse> {
  const since = (RANGES as readonly string[]).includes(query['since'] ?? '') ? query['since']! : '30d';
  const campaigns = (await deps.catalog.campaigns()).slice().sort((a, b) => a.name.localeCompare(b.name));
  const campaign = campaigns.find((c) => c.id === query['campaign'])?.id;
  return reportsPage(ctx, await campaignReport({ campaignId: campaign, since }, deps), campaigns, { campaign, since });
}

async function templateRoute(
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
