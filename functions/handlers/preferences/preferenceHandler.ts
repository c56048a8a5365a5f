import { MARKETING_TOPICS, normalizeLocale, type Locale, type MarketingTopic } from '../../domain/events/events';
import type { FrequencyChoice } from '../../domain/pacing/frequencyCap';
import { PERSONALIZATION_LEVELS, type PersonalizationLevel } from '../../domain/customers/profile';
import { InvalidTokenError, verifyToken, type TokenClaims } from '../../domain/consent/unsubscribeToken';
import { isWhyScope } from '../../domain/consent/whyLink';
import type { Branding } from '../../shared/config';
import { logger } from '../../shared/logger';
import {
  eraseCustomer,
  exportCustomerData,
  preferenceView,
  savePreferences,
  unsubscribe,
  type PreferenceChoices,
  type PreferenceDeps,
} from '../../usecases/preferences';
import { bodyText, header, type HttpHandler, type HttpRequest, type HttpResponse } from '../http';
import { addressChangedPage, eraseConfirmPage, invalidLinkPage, messagePage, PAGE_HEADERS, preferencePage } from './pages';
import { linkAddressHash } from '../../domain/consent/addressHash';
import { PAGE_STRINGS } from './strings';
import { RateLimiter } from '../../lib/rateLimiter';
import { csrfFor, csrfValid, sameOrigin } from '../formSecurity';
import { saysOneClick } from './oneClickBody';

export interface PreferenceHandlerDeps extends PreferenceDeps {
  tokenKey: () => Promise<Buffer>;
  /** Per link token and per client address; defaults: 30 and 120 requests a minute. */
  limits?: { perToken: RateLimiter; perAddress: RateLimiter };
  /** One-click withdraws the email's topic ("topic") or all marketing ("all"). */
  unsubscribeScope: 'topic' | 'all';
  /** The shop's look on these pages (name, logo, colour, support address). */
  branding?: Branding;
  /** Dates are shown in the customer's zone, or this one when theirs is unknown. */
  defaultTimeZone?: string;
}

type Notice = 'saved' | 'unsubscribed' | 'already';

function requestLocale(request: HttpRequest): Locale {
  return normalizeLocale(header(request, 'accept-language')?.split(',')[0]);
}

const redirect = (location: string): HttpResponse => ({ statusCode: 303, headers: { ...PAGE_HEADERS, location }, body: '' });

/**
 * The customer's links:
 *   POST /u/{token}                  RFC 8058 one-click unsubscribe (body List-Unsubscribe=One-Click)
 *   GET  /u/{token}, /preferences/{token}         the preference center (GET never changes anything)
 *   POST /preferences/{token}                     its forms (CSRF-protected)
 *   GET  /preferences/{token}/export              the customer's data as JSON
 */
export function makePreferenceHandler(deps: PreferenceHandlerDeps): HttpHandler {
  const limits = deps.limits ?? { perToken: new RateLimiter(30, 60_000), perAddress: new RateLimiter(120, 60_000) };
  const verify = async (request: HttpRequest): Promise<{ claims: TokenClaims; token: string; key: Buffer } | undefined> => {
    const token = request.pathParameters?.['token'] ?? '';
    const key = await deps.tokenKey();
    try {
      const claims = verifyToken(token, key, Math.floor(deps.clock.now().getTime() / 1000));
      // A /why link opens only its own page: it can neither unsubscribe nor show the preference center.
      if (isWhyScope(claims.scope)) throw new InvalidTokenError('malformed');
      return { claims, token, key };
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        logger.info('link token refused', { problem: error.problem });
        return undefined;
      }
      throw error;
    }
  };

  return async (request) => {
    const method = request.requestContext.http.method;
    const path = request.rawPath;
    const tokenKey = `t:${request.pathParameters?.['token'] ?? ''}`;
    const addressKey = `ip:${request.requestContext.http.sourceIp}`;
    const oneClickPost = method === 'POST' && path.startsWith('/u/');
    if (oneClickPost) {
      // One-click POSTs come from a few mailbox providers' addresses: a valid token is never refused for
      // the address's rate. Only what fails verification counts against the address (guessers).
      const verified = await verify(request);
      if (!verified) {
        const retryAfter = limits.perAddress.take(addressKey);
        return retryAfter > 0 ? tooMany(retryAfter) : notFoundText();
      }
      // The same token again and again: the first of them already unsubscribed, so the answer is the
      // same without another write.
      if (limits.perToken.take(tokenKey) > 0) return oneClickDone();
      return oneClick(request, verified.claims, deps);
    }
    // Page routes: limits come first and cost no database read, so scanners and guessers stop here.
    const retryAfter = Math.max(limits.perAddress.take(addressKey), limits.perToken.take(tokenKey));
    if (retryAfter > 0) return tooMany(retryAfter);
    const verified = await verify(request);
    if (!verified) {
      // Forged, truncated and expired tokens get the same plain page: nothing to learn from it.
      return invalidLinkPage(requestLocale(request), 404, deps.branding);
    }
    const { claims, token, key } = verified;
    const pageUrl = `/preferences/${token}`;

    // Beyond one-click, a link works fully only for the address it was sent to (docs/consent.md).
    if (!(await sentToCurrentAddress(claims, key, deps))) {
      return addressChanged(request, claims, pageUrl, csrfFor(token, key), token, key, deps);
    }
    if (method === 'GET' && path.endsWith('/export')) {
      const data = await exportCustomerData(claims.customerId, 'preference_center', deps);
      return {
        statusCode: 200,
        headers: {
          ...PAGE_HEADERS,
          'content-type': 'application/json; charset=utf-8',
          'content-disposition': 'attachment; filename="my-data.json"',
        },
        body: JSON.stringify(data, null, 2),
      };
    }

    const view = await preferenceView(claims.customerId, deps);
    if (!view) return messagePage(requestLocale(request), PAGE_STRINGS[requestLocale(request)].erased, undefined, 200, deps.branding);
    const locale = view.profile.locale;
    const s = PAGE_STRINGS[locale];

    if (method === 'GET') {
      const notice = request.queryStringParameters?.['notice'] as Notice | undefined;
      const unsubscribed = s.unsubscribed(isTopic(claims.scope) ? claims.scope : 'all');
      const notices = { saved: s.saved, unsubscribed, already: s.nothingToUnsubscribe };
      const text = notice && Object.hasOwn(notices, notice) ? notices[notice] : undefined;
      const look = { branding: deps.branding, defaultTimeZone: deps.defaultTimeZone };
      const csrf = csrfFor(token, key);
      return preferencePage({ view, action: pageUrl, csrf, scope: claims.scope, notice: text, exportHref: `${pageUrl}/export`, ...look });
    }

    const form = new URLSearchParams(bodyText(request));
    if (!sameOrigin(request) || !csrfValid(form.get('csrf'), token, key)) {
      logger.warn('preference form refused: cross-site or missing csrf token', { customerId: claims.customerId });
      return messagePage(locale, s.invalidLinkText, pageUrl, 403, deps.branding);
    }
    switch (form.get('action')) {
      case 'unsubscribe-topic':
      case 'unsubscribe-all': {
        const scope = form.get('action') === 'unsubscribe-all' || !isTopic(claims.scope) ? 'all' : claims.scope;
        const withdrawn = await unsubscribe(claims.customerId, scope, 'preference_center', deps, emailOf(claims));
        return redirect(`${pageUrl}?notice=${withdrawn.length ? 'unsubscribed' : 'already'}`);
      }
      case 'save': {
        const choices = parseChoices(form);
        if ('error' in choices) return messagePage(locale, choices.error, pageUrl, 400, deps.branding);
        // The ledger keeps what the customer was shown beside each switch.
        const shown = (purpose: MarketingTopic | 'tracking') =>
          purpose === 'tracking' ? `${s.tracking.legend} ${s.tracking.label}` : `${s.topicsLegend} ${s.topics[purpose]}`;
        await savePreferences(claims.customerId, choices, deps, shown);
        return redirect(`${pageUrl}?notice=saved`);
      }
      case 'erase-confirm':
        return eraseConfirmPage(locale, pageUrl, csrfFor(token, key), deps.branding);
      case 'erase': {
        await eraseCustomer(claims.customerId, 'preference_center', deps);
        return messagePage(locale, s.erased, undefined, 200, deps.branding);
      }
      default:
        return messagePage(locale, s.invalidLinkText, pageUrl, 400, deps.branding);
    }
  };
}

const PLAIN_TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };
const tooMany = (retryAfter: number): HttpResponse => ({
  statusCode: 429,
  headers: { ...PAGE_HEADERS, ...PLAIN_TEXT, 'retry-after': String(retryAfter) },
  body: 'Too many requests\n',
});
const notFoundText = (): HttpResponse => ({ statusCode: 404, headers: { ...PAGE_HEADERS, ...PLAIN_TEXT }, body: 'Not found\n' });
const oneClickDone = (): HttpResponse => ({ statusCode: 200, headers: PLAIN_TEXT, body: `${PAGE_STRINGS.en.oneClickDone}\n` });

/**
 * Whether the link's email went to the customer's address as it is now. A link that names no address
 * (issued before links did) counts as not: it may be from mail to an address since replaced. A
 * customer who is gone is left to the usual path, which says so.
 */
async function sentToCurrentAddress(claims: TokenClaims, key: Buffer, deps: PreferenceHandlerDeps): Promise<boolean> {
  const profile = await deps.customers.getProfile(claims.customerId);
  if (!profile) return true;
  return claims.address !== undefined && profile.email !== undefined && linkAddressHash(profile.email, key) === claims.address;
}

/**
 * A link to an address that is no longer the customer's: it unsubscribes (that mail, RFC 8058 too), and
 * shows, exports and erases nothing.
 */
async function addressChanged(
  request: HttpRequest,
  claims: TokenClaims,
  pageUrl: string,
  csrf: string,
  token: string,
  key: Buffer,
  deps: PreferenceHandlerDeps,
): Promise<HttpResponse> {
  const locale = requestLocale(request);
  const s = PAGE_STRINGS[locale];
  const method = request.requestContext.http.method;
  if (method === 'GET' && request.rawPath.endsWith('/export')) return messagePage(locale, s.addressChanged, pageUrl, 403, deps.branding);
  if (method === 'GET') {
    const notice = request.queryStringParameters?.['notice'];
    const unsubscribed = notice === 'unsubscribed' ? s.unsubscribed(isTopic(claims.scope) ? claims.scope : 'all') : undefined;
    const text = unsubscribed ?? (notice === 'already' ? s.nothingToUnsubscribe : undefined);
    return addressChangedPage(locale, pageUrl, csrf, claims.scope, text, deps.branding);
  }
  const form = new URLSearchParams(bodyText(request));
  if (!sameOrigin(request) || !csrfValid(form.get('csrf'), token, key))
    return messagePage(locale, s.invalidLinkText, pageUrl, 403, deps.branding);
  const action = form.get('action');
  if (action !== 'unsubscribe-topic' && action !== 'unsubscribe-all') {
    logger.warn('preference form refused: the link is for an address the customer no longer has', { customerId: claims.customerId });
    return messagePage(locale, s.addressChanged, pageUrl, 403, deps.branding);
  }
  const scope = action === 'unsubscribe-all' || !isTopic(claims.scope) ? 'all' : claims.scope;
  const withdrawn = await unsubscribe(claims.customerId, scope, 'preference_center', deps, emailOf(claims));
  return redirect(`${pageUrl}?notice=${withdrawn.length ? 'unsubscribed' : 'already'}`);
}

/** RFC 8058: a POST that says List-Unsubscribe=One-Click, no cookies, no confirmation, idempotent, answered fast. */
async function oneClick(request: HttpRequest, claims: TokenClaims, deps: PreferenceHandlerDeps): Promise<HttpResponse> {
  if (!(await saysOneClick(request))) {
    return {
      statusCode: 400,
      headers: PLAIN_TEXT,
      body: 'Expected the form field List-Unsubscribe=One-Click (urlencoded or multipart/form-data)\n',
    };
  }
  const scope = deps.unsubscribeScope === 'all' || !isTopic(claims.scope) ? 'all' : claims.scope;
  await unsubscribe(claims.customerId, scope, 'one_click', deps, emailOf(claims));
  logger.info('one-click unsubscribe', { customerId: claims.customerId, scope });
  return oneClickDone();
}

/** The email the link came from, when its token names one: the unsubscribe counts for that email. */
const emailOf = (claims: TokenClaims) =>
  claims.email ? { email: claims.email, sentAt: new Date(claims.issuedAt * 1000).toISOString() } : undefined;

const isTopic = (scope: string): scope is MarketingTopic => (MARKETING_TOPICS as readonly string[]).includes(scope);

function parseChoices(form: URLSearchParams): PreferenceChoices | { error: string } {
  const topics: Partial<Record<MarketingTopic, boolean>> = {};
  if (form.get('topics-shown')) {
    const chosen = form.getAll('topic');
    for (const t of chosen) if (!isTopic(t)) return { error: `topic: unknown topic "${t}"` };
    for (const topic of MARKETING_TOPICS) topics[topic] = chosen.includes(topic);
  }
  const frequency = form.get('frequency') ?? undefined;
  if (frequency !== undefined && !['any', 'weekly', 'monthly'].includes(frequency))
    return { error: 'frequency: must be any, weekly or monthly' };
  const personalization = form.get('personalization') ?? undefined;
  if (personalization !== undefined && !(PERSONALIZATION_LEVELS as readonly string[]).includes(personalization))
    return { error: 'personalization: must be none, basic or full' };
  // The tracking switch, when the form showed it: checked means "on", unchecked means no tracking.
  const tracking = form.get('tracking-shown') ? form.get('tracking') === 'on' : undefined;
  if (form.get('tracking') !== null && form.get('tracking') !== 'on') return { error: 'tracking: must be "on" or left out' };
  return {
    topics,
    tracking,
    frequency: frequency as FrequencyChoice | undefined,
    personalization: personalization as PersonalizationLevel | undefined,
  };
}
