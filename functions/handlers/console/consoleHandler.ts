import type { Principal } from '../../domain/authoring/roles';
import type { ValidationReport } from '../../publishing/templateValidation';
import type { AdminApiDeps } from '../adminApiHandler';
import { bodyText, header, type HttpHandler } from '../http';
import { consoleRoute } from './consoleRoutes';
import { html, page, refusalPage, type PageContext } from './html';
import { makeSignIn, type SignInDeps } from './signIn/signIn';
import { PREVIEWS_PER_MINUTE } from './editorApi';
import { RateLimiter } from '../../lib/rateLimiter';

/**
 * The marketers' web console at /admin: campaigns, templates (validation, preview, publish, rollback,
 * test send), simulation and results. Who may come in is signIn/'s: people sign in (a staff account,
 * or once with a key) and get an HttpOnly, SameSite=Strict session cookie; scripts may use
 * `Authorization: Bearer` instead. Without either, pages redirect to the sign-in page.
 */

export interface ConsoleDeps extends AdminApiDeps, Omit<SignInDeps, keyof AdminApiDeps> {
  /** The working copy of templates/ (npm start only: the Lambda has no repository, nor mjml). */
  drafts?: { names(): string[]; validate(name: string): Promise<ValidationReport> };
  /** The editors' renders per signed-in person: saves with preview, previews, simulations (default PREVIEWS_PER_MINUTE). */
  previewLimiter?: RateLimiter;
}

/** Who is acting, for the record of changes: `admin-key`, `editor-key` or `idp:<subject>` (a staff account, never a customer). */
export type ActingDeps = ConsoleDeps & { actor: string; principal: Principal };

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

export function makeConsoleHandler(given: ConsoleDeps): HttpHandler {
  const deps: ConsoleDeps = { ...given, previewLimiter: given.previewLimiter ?? new RateLimiter(PREVIEWS_PER_MINUTE, 60_000) };
  const signIn = makeSignIn(deps);
  return async (request) => {
    const method = request.requestContext.http.method;
    const path = request.rawPath.replace(/\/+$/, '') || '/admin';
    const query = request.queryStringParameters ?? {};
    const admitted = await signIn.admit(request, path);
    if ('answer' in admitted) return admitted.answer;
    const { visitor } = admitted;
    const { principal } = visitor;
    const notice = query['notice'];
    const ctx: PageContext = {
      csrf: visitor.csrf,
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
      // A browser session must prove the form is ours; a bearer caller is a script, not a browser.
      if (!visitor.formIsOurs(request, isJson ? header(request, 'x-csrf-token') : form.get('csrf'))) {
        return page(
          'Refused',
          ctx,
          html`<h1>Refused</h1>
            <p>That form did not come from this console. Reload the page and try again.</p>`,
          403,
        );
      }
      const signedOut = await signIn.signOut(path, visitor, ctx);
      if (signedOut) return signedOut;
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
      return await consoleRoute(method, segments, request, form, { ...ctx, section: sectionOf(segments[0]) }, acting);
    } catch (error) {
      return refusalPage(error, ctx);
    }
  };
}

function sectionOf(first: string | undefined): PageContext['section'] {
  const sections = ['templates', 'segments', 'broadcasts', 'customers', 'reports', 'integrations', 'changes'] as const;
  return (sections as readonly string[]).includes(first ?? '') ? (first as PageContext['section']) : 'campaigns';
}
