import { normalizeLocale } from '../../domain/events/events';
import { InvalidTokenError, issueToken, verifyToken } from '../../domain/consent/unsubscribeToken';
import { isWhyScope } from '../../domain/consent/whyLink';
import { linkAddressHash } from '../../domain/consent/addressHash';
import { logger } from '../../shared/logger';
import type { Branding } from '../../shared/config';
import { whyEmail, type WhyEmailDeps } from '../../usecases/whyEmail';
import { header, type HttpHandler, type HttpRequest } from '../http';
import { RateLimiter } from '../../lib/rateLimiter';
import { invalidLinkPage, messagePage, PAGE_HEADERS } from './pages';
import { PAGE_STRINGS } from './strings';
import { whyPage } from './whyPage';

export interface WhyHandlerDeps extends WhyEmailDeps {
  tokenKey: () => Promise<Buffer>;
  branding?: Branding;
  defaultTimeZone?: string;
  /** Per link token and per client address; defaults: 30 and 120 requests a minute. */
  limits?: { perToken: RateLimiter; perAddress: RateLimiter };
}

const requestLocale = (request: HttpRequest) => normalizeLocale(header(request, 'accept-language')?.split(',')[0]);

/**
 *   GET /why/{token}   "why did I get this?" for the one email the token names. A forged, expired or
 *                      other link's token, or an email we have no record of, gets the plain 404 page.
 */
export function makeWhyHandler(deps: WhyHandlerDeps): HttpHandler {
  const limits = deps.limits ?? { perToken: new RateLimiter(30, 60_000), perAddress: new RateLimiter(120, 60_000) };
  return async (request) => {
    const token = request.pathParameters?.['token'] ?? '';
    const retryAfter = Math.max(limits.perAddress.take(`ip:${request.requestContext.http.sourceIp}`), limits.perToken.take(`w:${token}`));
    if (retryAfter > 0)
      return {
        statusCode: 429,
        headers: { ...PAGE_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'retry-after': String(retryAfter) },
        body: 'Too many requests\n',
      };
    const notFound = () => invalidLinkPage(requestLocale(request), 404, deps.branding);
    const key = await deps.tokenKey();
    let claims;
    try {
      claims = verifyToken(token, key, Math.floor(deps.clock.now().getTime() / 1000));
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      logger.info('why token refused', { problem: error.problem });
      return notFound();
    }
    if (!isWhyScope(claims.scope)) return notFound();
    const view = await whyEmail(claims, deps);
    if (view === 'erased')
      return messagePage(requestLocale(request), PAGE_STRINGS[requestLocale(request)].erased, undefined, 200, deps.branding);
    if (!view) return notFound();
    // The email's own unsubscribe and preference links: the same token it carried.
    const topic = view.job?.topic ?? view.campaign?.topic ?? 'all';
    const email = claims.email ? { email: claims.email } : {};
    const address = claims.address ? { address: claims.address } : {};
    const linkToken = issueToken({ customerId: claims.customerId, scope: topic, issuedAt: claims.issuedAt, ...email, ...address }, key);
    const links = { unsubscribe: `/u/${linkToken}`, preferences: `/preferences/${linkToken}` };
    // As the preference center: the page shows data only while the email's address is still the customer's.
    const { locale } = view.profile;
    const current = view.profile.email !== undefined && claims.address === linkAddressHash(view.profile.email, key);
    if (!current) return messagePage(locale, PAGE_STRINGS[locale].addressChanged, links.preferences, 403, deps.branding);
    return whyPage({ view, links, branding: deps.branding, defaultTimeZone: deps.defaultTimeZone });
  };
}

/** The customers' links function: /why pages beside the preference center (one Lambda, one route table). */
export function routeCustomerLinks(preferences: HttpHandler, why: HttpHandler): HttpHandler {
  return (request) => (request.rawPath.startsWith('/why/') ? why(request) : preferences(request));
}
