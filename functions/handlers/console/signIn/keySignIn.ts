import type { RateLimiter } from '../../../lib/rateLimiter';
import { logger } from '../../../shared/logger';
import { apiKeyMatches } from '../../apiKeys';
import { sameOrigin } from '../../formSecurity';
import { bodyText, type HttpRequest, type HttpResponse } from '../../http';
import { seeOther } from '../html';
import { issueSession, sessionCookie, wallSeconds } from './session';
import { safeNext, signInPage } from './signInPages';

/**
 * Signing in with a key (where there is no identity provider: `npm start`, or a stack without one):
 * the admin key or an editor key typed into a form, limited per client address.
 */

export interface KeySignInDeps {
  limiter: RateLimiter;
  secureCookies: boolean;
}

/** GET shows the form; POST checks the key and answers with a session cookie, or the form again saying why not. */
export function keySignIn(
  request: HttpRequest,
  keys: { signingKey: Buffer; adminKeys: readonly string[]; editorKeys: readonly string[] },
  deps: KeySignInDeps,
): HttpResponse {
  if (request.requestContext.http.method === 'GET') return signInPage(safeNext(request.queryStringParameters?.['next']));
  const form = new URLSearchParams(bodyText(request));
  const next = safeNext(form.get('next'));
  if (deps.limiter.take(request.requestContext.http.sourceIp || 'unknown') > 0)
    return signInPage(next, 'Too many attempts: wait a minute and try again.');
  const key = form.get('key') ?? undefined;
  if (!sameOrigin(request) || !apiKeyMatches(key, [...keys.adminKeys, ...keys.editorKeys])) {
    logger.warn('console sign-in refused');
    return signInPage(next, 'That is not the admin key. It is not an editor key either.');
  }
  const session = issueSession(keys.signingKey, { kind: 'key', adminKey: key! }, wallSeconds());
  return seeOther(next, [sessionCookie(session, deps.secureCookies)]);
}
