/** Links in emails: only http(s) is ever emitted, and the shop's links carry the campaign's parameters. */

import { BoundedMap } from '../../lib/boundedMap';

export type Tracking = Record<string, string>;

/**
 * Lower-case host names with a letters-only last label (so never an IPv4 address) and no punycode
 * label: the WHATWG parser accepts every such http(s) URL, so the common case skips parsing, which
 * costs more than the rest of a link. Anything else is parsed.
 */
const CERTAINLY_HTTP = /^https?:\/\/(?:(?!xn--)[a-z0-9-]+\.)+[a-z]{2,63}(?:[/?#][\x21-\x7e]*)?$/;

export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (CERTAINLY_HTTP.test(value)) return true;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

const trackings = new BoundedMap<string, Tracking>(1024);

/**
 * The parameters analytics tools read (utm_*), naming the campaign and step, never the customer. One
 * frozen object per campaign, step and variant, so its query string is encoded once (queryOf).
 */
export function trackingFor(campaignId: string, stepId: string, variant?: string): Tracking {
  const key = `${campaignId}\n${stepId}\n${variant ?? ''}`;
  return (
    trackings.get(key) ??
    trackings.keep(
      key,
      Object.freeze({
        utm_source: 'tactful',
        utm_medium: 'email',
        utm_campaign: campaignId,
        utm_content: variant ? `${stepId}-${variant}` : stepId,
      }),
    )
  );
}

/**
 * A link the URL parser would give back unchanged: lower-case host, a path of characters it leaves as
 * they are and no dot segment, no query, no fragment. Tracking then simply follows a "?".
 */
const NORMAL_WITHOUT_QUERY = /^https?:\/\/(?:(?!xn--)[a-z0-9-]+\.)+[a-z]{2,63}\/[A-Za-z0-9\-_~!$&'()*+,;=:@%/.]*$/;
const queries = new WeakMap<Tracking, string>();
/** The tracking parameters as a query string, encoded once per tracking. */
export function queryOf(tracking: Tracking): string {
  let query = queries.get(tracking);
  if (query === undefined) queries.set(tracking, (query = new URLSearchParams(tracking).toString()));
  return query;
}

/** Whether tracking simply follows a "?". A dot segment, written plainly or percent-encoded, is one the parser would remove. */
export const followsPlainly = (url: string): boolean => NORMAL_WITHOUT_QUERY.test(url) && !url.includes('/.') && !/%2e/i.test(url);

/** Links the URL parser rebuilt, per tracking: an email's HTML and its text show the same ones. */
const rebuilt = new WeakMap<Tracking, BoundedMap<string, string>>();

/** Adds tracking parameters the link does not already set (a marketer's own utm_* wins). */
export function withTracking(url: string, tracking: Tracking | undefined): string {
  if (!tracking) return url;
  if (followsPlainly(url)) {
    const query = queryOf(tracking);
    return query ? `${url}?${query}` : url;
  }
  let known = rebuilt.get(tracking);
  const kept = known?.get(url);
  if (kept !== undefined) return kept;
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(tracking)) if (!parsed.searchParams.has(key)) parsed.searchParams.set(key, value);
  if (!known) rebuilt.set(tracking, (known = new BoundedMap(1000)));
  return known.keep(url, parsed.toString());
}
