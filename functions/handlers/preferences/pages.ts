import { createHash } from 'node:crypto';
import type { Locale, MarketingTopic } from '../../domain/events';
import { MARKETING_TOPICS } from '../../domain/events';
import type { HttpResponse } from '../http';
import type { PreferenceView } from '../../usecases/preferences';
import { PAGE_STRINGS, type PageStrings } from './strings';

/** Server-rendered, accessible pages that work without JavaScript; every value is HTML-escaped. */

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`=]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const STYLE = `body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f4f5f7;margin:0}
main{max-width:40rem;margin:0 auto;padding:1.5rem;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
fieldset{border:1px solid #cbd2d9;border-radius:6px;margin:1rem 0;padding:.75rem 1rem}
legend{font-weight:600;padding:0 .25rem}label{display:block;margin:.4rem 0}
.hint{display:block;color:#52606d;font-size:.9rem;margin-left:1.6rem}
button{font:inherit;padding:.55rem 1rem;border-radius:6px;border:1px solid #0b6e4f;background:#0b6e4f;color:#fff;cursor:pointer;margin:.25rem 0}
button.secondary{background:#fff;color:#0b6e4f}button.danger{background:#b42318;border-color:#b42318}
.notice{background:#e3f9e5;border-left:4px solid #0b6e4f;padding:.75rem 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}
ul.history{padding-left:1.2rem}a{color:#0b6e4f}
:focus-visible{outline:3px solid #f0b429;outline-offset:2px}`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** Personal pages: nothing cached, no referrer (the URL holds the token), no framing, no scripts at all. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
};

function layout(locale: Locale, title: string, body: string, status = 200): HttpResponse {
  return {
    statusCode: status,
    headers: PAGE_HEADERS,
    body: `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`,
  };
}

export function invalidLinkPage(locale: Locale = 'en', status = 404): HttpResponse {
  const s = PAGE_STRINGS[locale];
  return layout(locale, s.invalidLink, `<h1>${escapeHtml(s.invalidLink)}</h1><p>${escapeHtml(s.invalidLinkText)}</p>`, status);
}

export function messagePage(locale: Locale, text: string, backHref?: string, status = 200): HttpResponse {
  const s = PAGE_STRINGS[locale];
  return layout(locale, s.title, `<h1>${escapeHtml(s.title)}</h1><p class="notice" role="status">${escapeHtml(text)}</p>${backHref ? `<p><a href="${escapeHtml(backHref)}">${escapeHtml(s.title)}</a></p>` : ''}`, status);
}

export interface PreferencePageInput {
  view: PreferenceView;
  action: string;
  csrf: string;
  /** The topic the link was sent for, or "all". */
  scope: string;
  notice?: string;
  exportHref: string;
}

function form(action: string, csrf: string, name: string, label: string, className = ''): string {
  return `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><button type="submit" name="action" value="${name}"${className ? ` class="${className}"` : ''}>${escapeHtml(label)}</button></form>`;
}

function date(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC';
}

export function preferencePage({ view, action, csrf, scope, notice, exportHref }: PreferencePageInput): HttpResponse {
  const { profile, consent } = view;
  const locale = profile.locale;
  const s: PageStrings = PAGE_STRINGS[locale];
  const topicScope = (MARKETING_TOPICS as readonly string[]).includes(scope) ? (scope as MarketingTopic) : undefined;
  const checked = (on: boolean) => (on ? ' checked' : '');
  const frequency = profile.frequency ?? 'any';
  const level = profile.personalization ?? 'basic';

  const topicBoxes = MARKETING_TOPICS.map(
    (topic) => `<label><input type="checkbox" name="topic" value="${topic}"${checked(profile.consent[topic]?.status === 'granted')}> ${escapeHtml(capitalize(s.topics[topic]))}</label>`,
  ).join('');
  const frequencyRadios = (['any', 'weekly', 'monthly'] as const)
    .map((f) => `<label><input type="radio" name="frequency" value="${f}"${checked(frequency === f)}> ${escapeHtml(s.frequency[f])}</label>`)
    .join('');
  const levelRadios = (['none', 'basic', 'full'] as const)
    .map((l) => `<div><label><input type="radio" name="personalization" value="${l}" aria-describedby="level-${l}"${checked(level === l)}> ${escapeHtml(s.levels[l][0])}</label><span class="hint" id="level-${l}">${escapeHtml(s.levels[l][1])}</span></div>`)
    .join('');
  const known = (['email', 'firstName', 'lastName', 'locale', 'timezone', 'country'] as const)
    .filter((f) => profile[f])
    .map((f) => `<dt>${escapeHtml(s.fields[f])}</dt><dd>${escapeHtml(profile[f])}</dd>`)
    .join('');
  const history = consent.length
    ? `<ul class="history">${[...consent]
        .reverse()
        .map((r) => `<li>${escapeHtml(date(r.at, locale))}: ${escapeHtml(r.status === 'granted' ? s.historyGranted : s.historyWithdrawn)} ${escapeHtml(s.topics[r.topic])} (${escapeHtml(r.source)}, ${escapeHtml(r.policyVersion)})</li>`)
        .join('')}</ul>`
    : `<p>${escapeHtml(s.noHistory)}</p>`;

  const body = `<h1>${escapeHtml(s.title)}</h1>
${notice ? `<p class="notice" role="status">${escapeHtml(notice)}</p>` : ''}
<p>${escapeHtml(s.intro)}</p>
${topicScope ? form(action, csrf, `unsubscribe-topic`, s.unsubscribeTopic(s.topics[topicScope])) : ''}
${form(action, csrf, 'unsubscribe-all', s.unsubscribeAll, topicScope ? 'secondary' : '')}
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<fieldset><legend>${escapeHtml(s.topicsLegend)}</legend><input type="hidden" name="topics-shown" value="1">${topicBoxes}</fieldset>
<fieldset><legend>${escapeHtml(s.frequencyLegend)}</legend>${frequencyRadios}</fieldset>
<fieldset><legend>${escapeHtml(s.levelLegend)}</legend>${levelRadios}</fieldset>
<button type="submit" name="action" value="save">${escapeHtml(s.save)}</button>
</form>
<h2>${escapeHtml(s.knowTitle)}</h2><dl>${known}</dl>
<h2>${escapeHtml(s.historyTitle)}</h2>${history}
<h2>${escapeHtml(s.dataTitle)}</h2>
<p><a href="${escapeHtml(exportHref)}" download>${escapeHtml(s.download)}</a></p>
${form(action, csrf, 'erase-confirm', s.erase, 'secondary')}`;
  return layout(locale, s.title, body);
}

/** For a link whose address is no longer the customer's: unsubscribe buttons, and nothing of the customer's data. */
export function addressChangedPage(locale: Locale, action: string, csrf: string, scope: string, notice?: string): HttpResponse {
  const s = PAGE_STRINGS[locale];
  const topic = (Object.keys(s.topics) as MarketingTopic[]).find((t) => t === scope);
  const body = `<h1>${escapeHtml(s.title)}</h1>
${notice ? `<p class="notice" role="status">${escapeHtml(notice)}</p>` : ''}
<p>${escapeHtml(s.addressChanged)}</p>
${topic ? form(action, csrf, 'unsubscribe-topic', s.unsubscribeTopic(s.topics[topic])) : ''}
${form(action, csrf, 'unsubscribe-all', s.unsubscribeAll, topic ? 'secondary' : '')}`;
  return layout(locale, s.title, body);
}

export function eraseConfirmPage(locale: Locale, action: string, csrf: string): HttpResponse {
  const s = PAGE_STRINGS[locale];
  const body = `<h1>${escapeHtml(s.eraseConfirmTitle)}</h1><p>${escapeHtml(s.eraseConfirmText)}</p>
${form(action, csrf, 'erase', s.eraseConfirm, 'danger')}
<p><a href="${escapeHtml(action)}">${escapeHtml(s.cancel)}</a></p>`;
  return layout(locale, s.eraseConfirmTitle, body);
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
