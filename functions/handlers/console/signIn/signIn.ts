import type { ConsoleIdentityProvider } from '../../../adapters/auth/cognitoSignIn';
import { allows, lacksRole, type Principal } from '../../../domain/authoring/roles';
import { RateLimiter } from '../../../lib/rateLimiter';
import type { ChangeLog } from '../../../usecases/ports/changeLog';
import { isoNow, type Clock } from '../../../usecases/ports/clock';
import { bearerPrincipal } from '../../adminApiHandler';
import { csrfFor, csrfValid, sameOrigin } from '../../formSecurity';
import type { HttpRequest, HttpResponse } from '../../http';
import { html, page, seeOther, type PageContext } from '../html';
import { keySignIn } from './keySignIn';
import { finishProviderSignIn, startProviderSignIn } from './providerSignIn';
import { cookieOf, readSession, sessionCookie, wallSeconds, type ConsoleSession } from './session';
import { continuePage, signedOutPage, signInPage } from './signInPages';

/**
 * Who may use the console, apart from what they do in it: the ways in (a staff account through the
 * identity provider, or a key typed into a form), the session cookie they leave with, the proof that a
 * form came from the console (CSRF), and the ways out. Scripts use `Authorization: Bearer` instead.
 */

export interface SignInDeps {
  config: { publicBaseUrl: string };
  clock: Clock;
  /** Publishers' keys and editors' keys: what a key sign-in or a bearer caller may present. */
  adminKeys: () => Promise<readonly string[]>;
  editorKeys?: () => Promise<readonly string[]>;
  /** Where sign-outs are kept (a session is a signed cookie, so ending one early is a record). */
  changes: Pick<ChangeLog, 'record' | 'revokeSession' | 'revokeAllSessions' | 'sessionRevoked'>;
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

/** Someone the console let in. */
export interface Visitor {
  principal: Principal;
  /** The browser session they came with; undefined for a bearer key (a script, not a browser). */
  session?: ConsoleSession;
  /** The token the session's forms carry ('' for a bearer caller, who needs none). */
  csrf: string;
  /** Whether a POST came from one of the console's own pages (always, for a bearer caller). */
  formIsOurs(request: HttpRequest, token: string | null | undefined): boolean;
}

const CSRF_PURPOSE = 'tactful.console.csrf.v1';

export interface SignIn {
  /** The pages before a session, or whoever is asking; a request from nobody is sent to sign in. */
  admit(request: HttpRequest, path: string): Promise<{ answer: HttpResponse } | { visitor: Visitor }>;
  /** POST /admin/sign-out and /admin/sign-out-everyone; undefined for any other path. */
  signOut(path: string, visitor: Visitor, ctx: PageContext): Promise<HttpResponse | undefined>;
}

export function makeSignIn(deps: SignInDeps): SignIn {
  const limiter = deps.signInLimiter ?? new RateLimiter(10, 60_000);
  const idp = deps.identityProvider;
  const providerDeps = idp && { identityProvider: idp, publicBaseUrl: deps.config.publicBaseUrl, secureCookies: deps.secureCookies };

  async function admit(request: HttpRequest, path: string): Promise<{ answer: HttpResponse } | { visitor: Visitor }> {
    const method = request.requestContext.http.method;
    const signingKey = await deps.sessionKey();
    const adminKeys = await deps.adminKeys();
    const editorKeys = (await deps.editorKeys?.()) ?? [];

    if (path === '/admin/signed-out' && method === 'GET') return { answer: signedOutPage() };
    if (providerDeps && method === 'GET' && path === '/admin/sign-in') return { answer: startProviderSignIn(request, providerDeps) };
    if (providerDeps && method === 'GET' && path === '/admin/auth/callback')
      return { answer: await finishProviderSignIn(request, providerDeps, signingKey) };
    if (path === '/admin/sign-in' && !idp)
      return { answer: keySignIn(request, { signingKey, adminKeys, editorKeys }, { limiter, secureCookies: deps.secureCookies }) };

    const cookie = cookieOf(request);
    const read = readSession(cookie, signingKey, { adminKeys, editorKeys, idp: Boolean(idp) }, wallSeconds());
    // Signed out, or everyone was: the cookie is over, whatever it says (one read per request).
    const session = read && !(await deps.changes.sessionRevoked(read.nonce, read.issuedAt)) ? read : undefined;
    const principal: Principal | undefined = session
      ? { actor: session.actor, role: session.role }
      : await bearerPrincipal(request, { adminKeys: async () => adminKeys, editorKeys: async () => editorKeys });
    if (!principal) {
      const next = method === 'GET' ? path + (request.rawQueryString ? `?${request.rawQueryString}` : '') : '/admin';
      if (method === 'GET' || idp) return { answer: seeOther(`/admin/sign-in?next=${encodeURIComponent(next)}`) };
      return { answer: { ...signInPage('/admin', 'Your session has ended: sign in again.'), statusCode: 401 } };
    }
    if (!session) return { visitor: { principal, csrf: '', formIsOurs: () => true } };
    // The session's cookie value is what the token is derived from: a cross-site form cannot know it.
    return {
      visitor: {
        principal,
        session,
        csrf: csrfFor(cookie!, signingKey, CSRF_PURPOSE),
        formIsOurs: (req, token) => sameOrigin(req) && csrfValid(token, cookie!, signingKey, CSRF_PURPOSE),
      },
    };
  }

  async function signOut(path: string, visitor: Visitor, ctx: PageContext): Promise<HttpResponse | undefined> {
    const cleared = [sessionCookie('', deps.secureCookies, 0)];
    if (path === '/admin/sign-out-everyone') {
      if (!allows(visitor.principal.role, 'publisher')) {
        return page(
          'Refused',
          ctx,
          html`<h1>Refused</h1>
            <p>Signing everyone out ${lacksRole(visitor.principal, 'publisher')}.</p>`,
          403,
        );
      }
      await deps.changes.revokeAllSessions(wallSeconds());
      const entry = { actor: visitor.principal.actor, action: 'signed-out-everyone', subject: 'console' } as const;
      await deps.changes.record({ at: isoNow(deps.clock), ...entry, summary: 'every console session ended' });
      return seeOther('/admin/sign-in', cleared);
    }
    if (path === '/admin/sign-out') {
      // The session ends on the server too: a copy of the cookie no longer works.
      if (visitor.session) await deps.changes.revokeSession(visitor.session.nonce, visitor.session.expiresAt);
      // Ends the provider's session too, or its cookie would sign the person straight back in.
      const logout = idp?.logoutUrl?.(`${deps.config.publicBaseUrl}/admin/signed-out`);
      // A page that moves on, not a redirect: the CSP's form-action would stop a form's redirect to the provider.
      return logout ? continuePage(logout, cleared, 'Signing out') : seeOther('/admin/sign-in', cleared);
    }
    return undefined;
  }

  return { admit, signOut };
}
