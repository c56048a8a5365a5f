import { createHash, randomBytes } from 'node:crypto';
import { SignInError, type ConsoleIdentityProvider } from '../../../adapters/auth/cognitoSignIn';
import { roleOfGroups } from '../../../domain/authoring/roles';
import { logger } from '../../../shared/logger';
import { sameString } from '../../apiKeys';
import type { HttpRequest, HttpResponse } from '../../http';
import { seeOther } from '../html';
import { cookieOf, FLOW_COOKIE, flowCookie, IDP_SESSION_SECONDS, issueSession, sessionCookie, wallSeconds } from './session';
import { continuePage, safeNext, signInFailedPage } from './signInPages';

/**
 * Signing in with a staff account (Cognito on AWS): the authorization code flow with PKCE. The start
 * keeps the state, the verifier and where to go next in a short-lived cookie of its own (FLOW_COOKIE);
 * the callback checks the state against it, has the provider verify the code with the verifier, and
 * issues a session carrying the account's role.
 */

export interface ProviderSignInDeps {
  identityProvider: ConsoleIdentityProvider;
  publicBaseUrl: string;
  secureCookies: boolean;
}

export const redirectUriOf = (publicBaseUrl: string): string => `${publicBaseUrl}/admin/auth/callback`;

/** GET /admin/sign-in: off to the provider, with a fresh state and PKCE challenge. */
export function startProviderSignIn(request: HttpRequest, deps: ProviderSignInDeps): HttpResponse {
  const state = randomBytes(18).toString('base64url');
  const verifier = randomBytes(32).toString('base64url');
  const codeChallenge = createHash('sha256').update(verifier).digest('base64url');
  const next = Buffer.from(safeNext(request.queryStringParameters?.['next'])).toString('base64url');
  const redirectUri = redirectUriOf(deps.publicBaseUrl);
  return {
    ...seeOther(deps.identityProvider.authorizationUrl({ state, codeChallenge, redirectUri })),
    cookies: [flowCookie(`${state}.${verifier}.${next}`, deps.secureCookies)],
  };
}

/** GET /admin/auth/callback: the provider's answer becomes a session, or a page saying why not. */
export async function finishProviderSignIn(request: HttpRequest, deps: ProviderSignInDeps, signingKey: Buffer): Promise<HttpResponse> {
  const query = request.queryStringParameters ?? {};
  const [state, verifier, next] = (cookieOf(request, FLOW_COOKIE) ?? '').split('.');
  const clear = flowCookie('', deps.secureCookies, 0);
  if (query['error']) {
    // The provider said no (or the person cancelled): say so, not "expired".
    const reason = `${query['error']}${query['error_description'] ? `: ${query['error_description']}` : ''}`.slice(0, 300);
    return signInFailedPage(`The sign-in service answered ${reason}`, 401, [clear]);
  }
  if (!state || !verifier || !query['code'] || !query['state'] || !sameString(query['state'], state)) {
    return signInFailedPage('The sign-in expired or did not start here', 400, [clear]);
  }
  let subject: string;
  let groups: string[] | undefined;
  try {
    const redirectUri = redirectUriOf(deps.publicBaseUrl);
    ({ subject, groups } = await deps.identityProvider.signIn({ code: query['code'], codeVerifier: verifier, redirectUri }));
  } catch (error) {
    if (!(error instanceof SignInError)) throw error;
    logger.warn('console sign-in refused by the identity provider check', { reason: error.message });
    return signInFailedPage(error.message, 401, [clear]);
  }
  const role = roleOfGroups(groups);
  const session = issueSession(signingKey, { kind: 'idp', subject, role }, wallSeconds());
  logger.info('console sign-in', { actor: `idp:${subject}`, role });
  return continuePage(safeNext(Buffer.from(next ?? '', 'base64url').toString()), [
    sessionCookie(session, deps.secureCookies, IDP_SESSION_SECONDS),
    clear,
  ]);
}
