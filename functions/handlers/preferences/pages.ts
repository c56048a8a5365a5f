import { createHash } from 'node:crypto';
import type { ConsentPurpose, Locale, MarketingTopic } from '../../domain/events/events';
import { MARKETING_TOPICS } from '../../domain/events/events';
import { readableOnWhite } from '../../domain/rendering/brand';
import { isValidTimeZone } from '../../domain/time/timeZone';
import { BoundedMap } from '../../lib/boundedMap';
import type { PreferenceRecord } from '../../adapters/dynamo/customerStore';
import type { ConsentRecord, Profile } from '../../domain/customers/profile';
import { DEFAULT_BRAND_COLOR, type Branding } from '../../shared/config';
import type { HttpResponse } from '../http';
import { html, trustedMarkup, type Html } from '../html';
import type { PreferenceView } from '../../usecases/preferences';
import { PAGE_STRINGS, type PageStrings } from './strings';
import { countryName, howText, languageName, momentIn, timeZoneName } from './words';

/**
 * Server-rendered, accessible pages that work without JavaScript, built with the escape-by-default
 * `html` tag (handlers/html.ts). They look like the shop's (name, logo, colour, support address) with
 * contrast checked: the shop's colour is darkened until text on it and it on white read at 4.5:1, and
 * the focus ring is drawn in it.
 */

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
  /** The style sheet: made here from a colour that readableOnWhite checked is #rrggbb. */
  style: Html;
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
    style: trustedMarkup(style),
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

export function layout(locale: Locale, title: string, body: Html, status = 200, branding: Branding = DEFAULT_BRANDING): HttpResponse {
  const look = lookOf(branding);
  const s = PAGE_STRINGS[locale];
  const shop = branding.logoUrl
    ? html`<img src="${branding.logoUrl}" alt="${branding.shopName}">`
    : html`<span>${branding.shopName}</span>`;
  const support = branding.supportAddress
    ? html`<p>${s.support} <a href="mailto:${branding.supportAddress}">${branding.supportAddress}</a></p>`
    : '';
  const viewport = html`<meta name="viewport" content="width=device-width,initial-scale=1">`;
  const head = html`<meta charset="utf-8">${viewport}<meta name="robots" content="noindex"><title>${title} · ${branding.shopName}</title>`;
  const header = html`<header class="shop">${shop}</header>`;
  const footer = html`<footer class="shop">${support}<p>${branding.shopName}</p></footer>`;
  const page = html`${header}<main>${body}</main>${footer}`;
  return {
    statusCode: status,
    headers: look.headers,
    body: html`<!doctype html><html lang="${locale}"><head>${head}<style>${look.style}</style></head><body>${page}</body></html>`.value,
  };
}

export function invalidLinkPage(locale: Locale = 'en', status = 404, branding?: Branding): HttpResponse {
  const s = PAGE_STRINGS[locale];
  return layout(locale, s.invalidLink, html`<h1>${s.invalidLink}</h1><p>${s.invalidLinkText}</p>`, status, branding);
}

export function messagePage(locale: Locale, text: string, backHref?: string, status = 200, branding?: Branding): HttpResponse {
  const s = PAGE_STRINGS[locale];
  const back = backHref ? html`<p><a href="${backHref}">${s.title}</a></p>` : '';
  return layout(locale, s.title, html`<h1>${s.title}</h1><p class="notice" role="status">${text}</p>${back}`, status, branding);
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

function form(action: string, csrf: string, name: string, label: string, className = ''): Html {
  const cls = className ? html` class="${className}"` : '';
  const hidden = html`<input type="hidden" name="csrf" value="${csrf}">`;
  const button = html`<button type="submit" name="action" value="${name}"${cls}>${label}</button>`;
  return html`<form method="post" action="${action}">${hidden}${button}</form>`;
}

/** The zone a customer's dates are shown in. */
export const zoneOf = (profile: Pick<Profile, 'timezone'>, fallback = 'UTC'): string =>
  profile.timezone && isValidTimeZone(profile.timezone) ? profile.timezone : fallback;

/** The stored details, in words: language, country and zone by name, tracking as a sentence. */
export function knownTable(profile: Profile, s: PageStrings, locale: Locale, caption = s.knowCaption): Html {
  const value = (field: 'email' | 'firstName' | 'lastName' | 'locale' | 'timezone' | 'country'): string => {
    const raw = profile[field]!;
    if (field === 'locale') return languageName(raw, locale);
    if (field === 'country') return countryName(raw, locale);
    if (field === 'timezone') return timeZoneName(raw, locale);
    return raw;
  };
  const rows = (['email', 'firstName', 'lastName', 'locale', 'timezone', 'country'] as const)
    .filter((f) => profile[f])
    .map((f) => html`<tr><th scope="row">${s.fields[f]}</th><td>${value(f)}</td></tr>`);
  const tracking = profile.consent.tracking?.status === 'granted' ? s.tracking.on : s.tracking.off;
  rows.push(html`<tr><th scope="row">${s.fields.tracking}</th><td>${tracking}</td></tr>`);
  return html`<table><caption>${caption}</caption><tbody>${rows}</tbody></table>`;
}

/** Consent changes and the customer's own preference changes together, newest first, in words. */
function historyTable(consent: ConsentRecord[], preferences: PreferenceRecord[], s: PageStrings, locale: Locale, zone: string): Html {
  if (consent.length === 0 && preferences.length === 0) return html`<p>${s.noHistory}</p>`;
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
  const head = html`<thead><tr>${[c.when, c.what, c.how].map((name) => html`<th scope="col">${name}</th>`)}</tr></thead>`;
  const body = rows.map((r) => html`<tr><td>${momentIn(r.at, locale, zone)}</td><td>${r.what}</td><td>${r.how}</td></tr>`);
  return html`<table><caption>${s.historyCaption}</caption>${head}<tbody>${body}</tbody></table>`;
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
  const checked = (on: boolean) => (on ? html` checked` : '');
  const frequency = profile.frequency ?? 'any';
  const level = profile.personalization ?? 'basic';

  const topicBoxes = MARKETING_TOPICS.map((topic) => {
    const box = html`<input type="checkbox" name="topic" value="${topic}"${checked(profile.consent[topic]?.status === 'granted')}>`;
    return html`<label>${box} ${capitalize(s.topics[topic])}</label>`;
  });
  const trackingOn = checked(profile.consent.tracking?.status === 'granted');
  const trackingInput = html`<input type="checkbox" name="tracking" value="on" aria-describedby="tracking-hint"${trackingOn}>`;
  const trackingHint = html`<span class="hint" id="tracking-hint">${s.tracking.hint}</span>`;
  const trackingBox = html`<label>${trackingInput} ${s.tracking.label}</label>${trackingHint}`;
  const frequencyRadios = (['any', 'weekly', 'monthly'] as const).map(
    (f) => html`<label><input type="radio" name="frequency" value="${f}"${checked(frequency === f)}> ${s.frequency[f]}</label>`,
  );
  const levelRadios = (['none', 'basic', 'full'] as const).map((l) => {
    const radio = html`<input type="radio" name="personalization" value="${l}" aria-describedby="level-${l}"${checked(level === l)}>`;
    return html`<div><label>${radio} ${s.levels[l][0]}</label><span class="hint" id="level-${l}">${s.levels[l][1]}</span></div>`;
  });

  const body = html`<h1>${s.title}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<p>${s.intro}</p>
${topicScope ? form(action, csrf, `unsubscribe-topic`, s.unsubscribeTopic(topicScope)) : ''}
${form(action, csrf, 'unsubscribe-all', s.unsubscribeAll, topicScope ? 'secondary' : '')}
<form method="post" action="${action}">
<input type="hidden" name="csrf" value="${csrf}">
<fieldset><legend>${s.topicsLegend}</legend><input type="hidden" name="topics-shown" value="1">${topicBoxes}</fieldset>
<fieldset id="tracking"><legend>${s.tracking.legend}</legend>
<input type="hidden" name="tracking-shown" value="1">${trackingBox}</fieldset>
<fieldset><legend>${s.frequencyLegend}</legend>${frequencyRadios}</fieldset>
<fieldset id="personalization"><legend>${s.levelLegend}</legend>${levelRadios}</fieldset>
<button type="submit" name="action" value="save">${s.save}</button>
</form>
<h2>${s.knowTitle}</h2>${knownTable(profile, s, locale)}
<h2>${s.historyTitle}</h2>${historyTable(consent, preferences, s, locale, zone)}
<h2>${s.dataTitle}</h2>
<p><a href="${exportHref}" download>${s.download}</a></p>
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
  const body = html`<h1>${s.title}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<p>${s.addressChanged}</p>
${topic ? form(action, csrf, 'unsubscribe-topic', s.unsubscribeTopic(topic)) : ''}
${form(action, csrf, 'unsubscribe-all', s.unsubscribeAll, topic ? 'secondary' : '')}`;
  return layout(locale, s.title, body, 200, branding);
}

export function eraseConfirmPage(locale: Locale, action: string, csrf: string, branding?: Branding): HttpResponse {
  const s = PAGE_STRINGS[locale];
  const body = html`<h1>${s.eraseConfirmTitle}</h1><p>${s.eraseConfirmText}</p>
${form(action, csrf, 'erase', s.eraseConfirm, 'danger')}
<p><a href="${action}">${s.cancel}</a></p>`;
  return layout(locale, s.eraseConfirmTitle, body, 200, branding);
}

export const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
