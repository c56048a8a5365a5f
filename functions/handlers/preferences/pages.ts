import { createHash } from 'node:crypto';
import type { ConsentPurpose, Locale, MarketingTopic } from '../../domain/events';
import { MARKETING_TOPICS } from '../../domain/events';
import { readableOnWhite } from '../../domain/brand';
import { isValidTimeZone } from '../../domain/timeZone';
import { BoundedMap } from '../../domain/boundedMap';
import type { PreferenceRecord } from '../../adapters/dynamo/customerStore';
import type { ConsentRecord, Profile } from '../../domain/profile';
import { DEFAULT_BRAND_COLOR, type Branding } from '../../shared/config';
import type { HttpResponse } from '../http';
import type { PreferenceView } from '../../usecases/preferences';
import { PAGE_STRINGS, type PageStrings } from './strings';
import { countryName, howText, languageName, momentIn, timeZoneName } from './words';

/**
 * Server-rendered, accessible pages that work without JavaScript; every value is HTML-escaped. They
 * look like the shop's (name, logo, colour, support address) with contrast checked: the shop's colour
 * is darkened until text on it and it on white read at 4.5:1, and the focus ring is drawn in it.
 */

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`=]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export const DEFAULT_BRANDING: Branding = { shopName: 'Our shop', brandColor: DEFAULT_BRAND_COLOR };

const styleFor = (
  brand: string,
): string => `body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f4f5f7;margin:0}
header.shop,main,footer.shop{max-width:40rem;margin:0 auto;padding:1rem 1.5rem;background:#fff}
header.shop{border-bottom:4px solid ${brand};display:flex;align-items:center;gap:.75rem;font-weight:700;font-size:1.15rem}
header.shop img{max-height:48px;max-width:12rem}
footer.shop{color:#3e4c59;font-size:.9rem;border-top:1px solid #cbd2d9}
h1{font-size:1.5rem;color:${brand}}h2{font-size:1.15rem;margin-top:2rem}
fieldset{border:1px solid #7b8794;border-radius:6px;margin:1rem 0;padding:.75rem 1rem}
legend{font-weight:600;padding:0 .25rem}label{display:block;margin:.4rem 0}
.hint{display:block;color:#3e4c59;font-size:.9rem;margin-left:1.6rem}
button{font:inherit;padding:.55rem 1rem;border-radius:6px;border:2px solid ${brand};background:${brand};color:#fff;cursor:pointer}
button{margin:.25rem 0}
button.secondary{background:#fff;color:${brand}}button.danger{background:#b42318;border-color:#b42318}
.notice{background:#e3f9e5;border-left:4px solid ${brand};padding:.75rem 1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}caption{text-align:left;color:#3e4c59;font-size:.9rem;padding:.25rem 0}
th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid #cbd2d9}th{font-weight:600}
blockquote{margin:.5rem 0;padding:.5rem 1rem;border-left:4px solid #7b8794;color:#3e4c59}
a{color:${brand}}
:focus-visible{outline:3px solid ${brand};outline-offset:2px}`;

interface Look {
  style: string;
  headers: Record<string, string>;
}

const looks = new BoundedMap<string, Look>(64);

/** The page's style and headers for a branding: one inline style allowed by its hash, images only from the logo's origin. */
function lookOf(branding: Branding): Look {
  const brand = readableOnWhite(branding.brandColor);
  const logoOrigin = branding.logoUrl ? new URL(branding.logoUrl).origin : undefined;
  const key = `${brand}|${logoOrigin ?? ''}`;
  const kept = looks.get(key);
  if (kept) return kept;
  const style = styleFor(brand);
  const hash = createHash('sha256').update(style).digest('base64');
  const images = logoOrigin ? `; img-src ${logoOrigin}` : '';
  return looks.keep(key, {
    style,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': [
        `default-src 'none'`,
        `style-src 'sha256-${hash}'${images}`,
        `form-action 'self'`,
        `frame-ancestors 'none'`,
        `base-uri 'none'`,
      ].join('; '),
    },
  });
}

/** Personal pages: nothing cached, no referrer (the URL holds the token), no framing, no scripts at all. */
export const PAGE_HEADERS: Record<string, string> = lookOf(DEFAULT_BRANDING).headers;

/** The same headers for a shop's branding (its logo's origin is the one place images may come from). */
export const pageHeaders = (branding: Branding = DEFAULT_BRANDING): Record<string, string> => lookOf(branding).headers;

export function layout(locale: Locale, title: string, body: string, status = 200, branding: Branding = DEFAULT_BRANDING): HttpResponse {
  const look = lookOf(branding);
  const s = PAGE_STRINGS[locale];
  const shop = branding.logoUrl
    ? `<img src="${escapeHtml(branding.logoUrl)}" alt="${escapeHtml(branding.shopName)}">`
    : `<span>${escapeHtml(branding.shopName)}</span>`;
  const support = branding.supportAddress
    ? `<p>${escapeHtml(s.support)} <a href="mailto:${escapeHtml(branding.supportAddress)}">${escapeHtml(branding.supportAddress)}</a></p>`
    : '';
  return {
    statusCode: status,
    headers: look.headers,
    body:
      `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
      `<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">` +
      `<title>${escapeHtml(title)} · ${escapeHtml(branding.shopName)}</title><style>${look.style}</style></head>` +
      `<body><header class="shop">${shop}</header><main>${body}</main>` +
      `<footer class="shop">${support}<p>${escapeHtml(branding.shopName)}</p></footer></body></html>`,
  };
}

export function invalidLinkPage(locale: Locale = 'en', status = 404, branding?: Branding): HttpResponse {
  const s = PAGE_STRINGS[locale];
  return layout(locale, s.invalidLink, `<h1>${escapeHtml(s.invalidLink)}</h1><p>${escapeHtml(s.invalidLinkText)}</p>`, status, branding);
}

export function messagePage(locale: Locale, text: string, backHref?: string, status = 200, branding?: Branding): HttpResponse {
  const s = PAGE_STRINGS[locale];
  const back = backHref ? `<p><a href="${escapeHtml(backHref)}">${escapeHtml(s.title)}</a></p>` : '';
  return layout(
    locale,
    s.title,
    `<h1>${escapeHtml(s.title)}</h1><p class="notice" role="status">${escapeHtml(text)}</p>${back}`,
    status,
    branding,
  );
}

export interface PreferencePageInput {
  view: PreferenceView;
  action: string;
  csrf: string;
  /** The topic the link was sent for, or "all". */
  scope: string;
  notice?: string;
  exportHref: string;
  branding?: Branding;
  /** Dates are shown in the customer's zone, or this one (the shop's) when theirs is unknown. */
  defaultTimeZone?: string;
}

function form(action: string, csrf: string, name: string, label: string, className = ''): string {
  const cls = className ? ` class="${className}"` : '';
  const hidden = `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;
  const button = `<button type="submit" name="action" value="${name}"${cls}>${escapeHtml(label)}</button>`;
  return `<form method="post" action="${escapeHtml(action)}">${hidden}${button}</form>`;
}

/** The zone a customer's dates are shown in. */
export const zoneOf = (profile: Pick<Profile, 'timezone'>, fallback = 'UTC'): string =>
  profile.timezone && isValidTimeZone(profile.timezone) ? profile.timezone : fallback;

/** The stored details, in words: language, country and zone by name, tracking as a sentence. */
export function knownTable(profile: Profile, s: PageStrings, locale: Locale, caption = s.knowCaption): string {
  const value = (field: 'email' | 'firstName' | 'lastName' | 'locale' | 'timezone' | 'country'): string => {
    const raw = profile[field]!;
    if (field === 'locale') return languageName(raw, locale);
    if (field === 'country') return countryName(raw, locale);
    if (field === 'timezone') return timeZoneName(raw, locale);
    return raw;
  };
  const rows = (['email', 'firstName', 'lastName', 'locale', 'timezone', 'country'] as const)
    .filter((f) => profile[f])
    .map((f) => `<tr><th scope="row">${escapeHtml(s.fields[f])}</th><td>${escapeHtml(value(f))}</td></tr>`);
  const tracking = profile.consent.tracking?.status === 'granted' ? s.tracking.on : s.tracking.off;
  rows.push(`<tr><th scope="row">${escapeHtml(s.fields.tracking)}</th><td>${escapeHtml(tracking)}</td></tr>`);
  return `<table><caption>${escapeHtml(caption)}</caption><tbody>${rows.join('')}</tbody></table>`;
}

/** Consent changes and the customer's own preference changes together, newest first, in words. */
function historyTable(consent: ConsentRecord[], preferences: PreferenceRecord[], s: PageStrings, locale: Locale, zone: string): string {
  if (consent.length === 0 && preferences.length === 0) return `<p>${escapeHtml(s.noHistory)}</p>`;
  const words = (field: PreferenceRecord['field'], value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    if (field === 'frequency' && value in s.frequency) return s.frequency[value as keyof PageStrings['frequency']];
    if (field === 'personalization' && value in s.levels) return s.levels[value as keyof PageStrings['levels']][0];
    return value;
  };
  const rows = [
    ...consent.map((r) => ({
      at: r.at,
      what: s.consentChange(r.topic as ConsentPurpose, r.status),
      how: howText(r.source, r.policyVersion, locale),
    })),
    ...preferences.map((r) => ({
      at: r.at,
      what: s.preferenceChange(r.field, words(r.field, r.from), words(r.field, r.to) ?? r.to),
      how: howText(r.source, undefined, locale),
    })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const c = s.historyColumns;
  const head = `<thead><tr>${[c.when, c.what, c.how].map((name) => `<th scope="col">${escapeHtml(name)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map((r) => `<tr><td>${escapeHtml(momentIn(r.at, locale, zone))}</td><td>${escapeHtml(r.what)}</td><td>${escapeHtml(r.how)}</td></tr>`)
    .join('');
  return `<table><caption>${escapeHtml(s.historyCaption)}</caption>${head}<tbody>${body}</tbody></table>`;
}

export function preferencePage({
  view,
  action,
  csrf,
  scope,
  notice,
  exportHref,
  branding,
  defaultTimeZone,
}: PreferencePageInput): HttpResponse {
  const { profile, consent, preferences } = view;
  const locale = profile.locale;
  const s: PageStrings = PAGE_STRINGS[locale];
  const zone = zoneOf(profile, defaultTimeZone);
  const topicScope = (MARKETING_TOPICS as readonly string[]).includes(scope) ? (scope as MarketingTopic) : undefined;
  const checked = (on: boolean) => (on ? ' checked' : '');
  const frequency = profile.frequency ?? 'any';
  const level = profile.personalization ?? 'basic';

  const topicBoxes = MARKETING_TOPICS.map(
    (topic) =>
      `<label><input type="checkbox" name="topic" value="${topic}"${checked(profile.consent[topic]?.status === 'granted')}> ` +
      `${escapeHtml(capitalize(s.topics[topic]))}</label>`,
  ).join('');
  const trackingOn = checked(profile.consent.tracking?.status === 'granted');
  const trackingBox =
    `<label><input type="checkbox" name="tracking" value="on" aria-describedby="tracking-hint"${trackingOn}> ` +
    `${escapeHtml(s.tracking.label)}</label>` +
    `<span class="hint" id="tracking-hint">${escapeHtml(s.tracking.hint)}</span>`;
  const frequencyRadios = (['any', 'weekly', 'monthly'] as const)
    .map(
      (f) => `<label><input type="radio" name="frequency" value="${f}"${checked(frequency === f)}> ${escapeHtml(s.frequency[f])}</label>`,
    )
    .join('');
  const levelRadios = (['none', 'basic', 'full'] as const)
    .map(
      (l) =>
        `<div><label><input type="radio" name="personalization" value="${l}" aria-describedby="level-${l}"${checked(level === l)}> ` +
        `${escapeHtml(s.levels[l][0])}</label><span class="hint" id="level-${l}">${escapeHtml(s.levels[l][1])}</span></div>`,
    )
    .join('');

  const body = `<h1>${escapeHtml(s.title)}</h1>
${notice ? `<p class="notice" role="status">${escapeHtml(notice)}</p>` : ''}
<p>${escapeHtml(s.intro)}</p>
${topicScope ? form(action, csrf, `unsubscribe-topic`, s.unsubscribeTopic(topicScope)) : ''}
${form(action, csrf, 'unsubscribe-all', s.unsubscribeAll, topicScope ? 'secondary' : '')}
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<fieldset><legend>${escapeHtml(s.topicsLegend)}</legend><input type="hidden" name="topics-shown" value="1">${topicBoxes}</fieldset>
<fieldset id="tracking"><legend>${escapeHtml(s.tracking.legend)}</legend>
<input type="hidden" name="tracking-shown" value="1">${trackingBox}</fieldset>
<fieldset><legend>${escapeHtml(s.frequencyLegend)}</legend>${frequencyRadios}</fieldset>
<fieldset id="personalization"><legend>${escapeHtml(s.levelLegend)}</legend>${levelRadios}</fieldset>
<button type="submit" name="action" value="save">${escapeHtml(s.save)}</button>
</form>
<h2>${escapeHtml(s.knowTitle)}</h2>${knownTable(profile, s, locale)}
<h2>${escapeHtml(s.historyTitle)}</h2>${historyTable(consent, preferences, s, locale, zone)}
<h2>${escapeHtml(s.dataTitle)}</h2>
<p><a href="${escapeHtml(exportHref)}" download>${escapeHtml(s.download)}</a></p>
${form(action, csrf, 'erase-confirm', s.erase, 'secondary')}`;
  return layout(locale, s.title, body, 200, branding);
}

/** For a link whose address is no longer the customer's: unsubscribe buttons, and nothing of the customer's data. */
export function addressChangedPage(
  locale: Locale,
  action: string,
  csrf: string,
  scope: string,
  notice?: string,
  branding?: Branding,
): HttpResponse {
  const s = PAGE_STRINGS[locale];
  const topic = (Object.keys(s.topics) as MarketingTopic[]).find((t) => t === scope);
  const body = `<h1>${escapeHtml(s.title)}</h1>
${notice ? `<p class="notice" role="status">${escapeHtml(notice)}</p>` : ''}
<p>${escapeHtml(s.addressChanged)}</p>
${topic ? form(action, csrf, 'unsubscribe-topic', s.unsubscribeTopic(topic)) : ''}
${form(action, csrf, 'unsubscribe-all', s.unsubscribeAll, topic ? 'secondary' : '')}`;
  return layout(locale, s.title, body, 200, branding);
}

export function eraseConfirmPage(locale: Locale, action: string, csrf: string, branding?: Branding): HttpResponse {
  const s = PAGE_STRINGS[locale];
  const body = `<h1>${escapeHtml(s.eraseConfirmTitle)}</h1><p>${escapeHtml(s.eraseConfirmText)}</p>
${form(action, csrf, 'erase', s.eraseConfirm, 'danger')}
<p><a href="${escapeHtml(action)}">${escapeHtml(s.cancel)}</a></p>`;
  return layout(locale, s.eraseConfirmTitle, body, 200, branding);
}

export const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
