import type { HttpResponse } from '../http';
import { html, trustedMarkup, type Html } from '../html';
import { allows, type Role } from '../../domain/authoring/roles';
import { timeInZone } from '../../domain/wording/time';
import { refusalOf } from '../errorAnswers';

// The console's pages are built with the shared escape-by-default tag (handlers/html.ts).
export { html, Html } from '../html';

/** Whether the page's viewer may use a form that needs `role` (no context: no forms at all). */
export const may = (ctx: PageContext | undefined, role: Role): boolean => Boolean(ctx?.role && allows(ctx.role, role));

const STYLE = `*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f4f5f7;margin:0}
header{background:#0b3d2e;color:#fff;padding:.6rem 1.5rem;display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;padding:.2rem .1rem}header nav{display:flex;flex-wrap:wrap;gap:.3rem 1rem}
header nav a{display:inline-block;padding:.3rem .2rem;min-height:24px}summary{padding:.3rem 0;min-height:24px;cursor:pointer}
header a[aria-current]{border-bottom:2px solid #f0b429}header .brand{font-weight:700;margin-right:1rem}
header form{margin-left:auto}main{max-width:78rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.5rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin:2rem 0 .6rem}
.card{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:1rem 1.25rem;margin:0 0 1.25rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #e4e7eb;vertical-align:top}
th{font-weight:600;color:#52606d;font-size:.85rem;text-transform:uppercase;letter-spacing:.02em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
button,.button{font:inherit;padding:.45rem .9rem;border-radius:6px;border:1px solid #0b6e4f;background:#0b6e4f;color:#fff;
cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:#0b6e4f}header button{background:transparent;border-color:#fff;padding:.25rem .7rem}
label{display:inline-flex;flex-direction:column;gap:.2rem;margin:0 1rem .6rem 0;font-size:.9rem;color:#52606d}
input,select{font:inherit;padding:.35rem .5rem;border:1px solid #cbd2d9;border-radius:6px;min-width:12rem}
.notice{background:#e3f9e5;border-left:4px solid #0b6e4f;padding:.6rem 1rem;margin-bottom:1rem}
.alert{background:#fde8e8;border-left:4px solid #b42318;padding:.6rem 1rem;margin-bottom:1rem}
.error{color:#b42318;font-weight:600}.warning{color:#8d5b00;font-weight:600}.muted{color:#5c6975}
.tag{display:inline-block;background:#e3f9e5;color:#0b6e4f;border-radius:4px;padding:0 .4rem;font-size:.8rem;font-weight:600}
pre{background:#1f2933;color:#e4e7eb;padding:1rem;border-radius:6px;overflow:auto;font-size:.8rem;max-height:28rem}
.frames{display:flex;gap:1.5rem;align-items:flex-start;flex-wrap:wrap}.frames figure{margin:0}
.frames figcaption{font-size:.85rem;color:#52606d;margin-bottom:.3rem}
iframe{border:1px solid #cbd2d9;border-radius:6px;background:#fff;height:52rem}iframe.desktop{width:42rem}iframe.mobile{width:375px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.8rem}
.stat{background:#fff;border:1px solid #e4e7eb;border-radius:8px;padding:.7rem 1rem}.stat b{display:block;font-size:1.4rem}
svg text{font:12px system-ui,sans-serif;fill:#52606d}
a{color:#0b6e4f}.narrow{max-width:28rem;margin:3rem auto}.filters{padding:.8rem 1rem}.stat.alerting{border-color:#b42318}
:focus-visible{outline:3px solid #f0b429;outline-offset:2px}
@media (max-width:40rem){main{padding:1rem .6rem;overflow-wrap:anywhere}table:not(.stack){display:block;overflow-x:auto;max-width:100%}
iframe.desktop,iframe.mobile{width:100%}.frames figure{width:100%}input,select,textarea{min-width:0;max-width:100%}
label{display:flex;margin-right:0}table.stack thead{display:none}
table.stack tr{display:block;border-bottom:1px solid #e4e7eb;padding:.3rem 0}
table.stack td{display:block;border:0;padding:.1rem .6rem;overflow-wrap:anywhere}}`;

const HEAD_META = trustedMarkup(
  '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">',
);
const STYLE_ELEMENT = trustedMarkup(`<style>${STYLE}</style>`);

/** No scripts at all; frames only from this origin (the email previews); never framed by others. */
export const CONSOLE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Inline styles are allowed (no script can run to abuse them): simulation samples are srcdoc frames,
  // which inherit this policy, and emails are styled inline. Their images are https.
  'content-security-policy': [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src 'self' https: data:",
    "frame-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; '),
};

export type Section = 'campaigns' | 'templates' | 'segments' | 'broadcasts' | 'customers' | 'reports' | 'integrations' | 'changes';

export interface PageContext {
  csrf: string;
  /** The signed-in person's role: pages show only the buttons it may use. */
  role?: Role;
  section?: Section;
  notice?: string;
  alert?: string;
  /** The zone every time on the page is shown in, and named (the shop's: DEFAULT_TIME_ZONE). */
  zone?: string;
  /** The application clock's now: a time of this year is shown without its year. */
  now?: string;
}

/** An instant as the console shows it: "3 Dec at 10:14 Europe/Warsaw". */
export const timeFor = (ctx: PageContext | undefined, iso: string | undefined): string =>
  iso ? timeInZone(iso, ctx?.zone ?? 'UTC', ctx?.now) : '';

export function page(title: string, ctx: PageContext | undefined, body: Html, status = 200): HttpResponse {
  const nav = ctx
    ? html`<nav aria-label="Console">
          ${(['campaigns', 'templates', 'segments', 'broadcasts', 'customers', 'reports', 'integrations', 'changes'] as const).map(
            (s) =>
              html`<a href="/admin${s === 'campaigns' ? '' : `/${s}`}" ${s === ctx.section ? html` aria-current="page"` : ''}
                >${s[0]!.toUpperCase() + s.slice(1)}</a
              > `,
          )}
        </nav>
        <form method="post" action="/admin/sign-out">
          <input type="hidden" name="csrf" value="${ctx.csrf}" /><button type="submit">Sign out</button>
        </form>`
    : html``;
  const notice = ctx?.notice ? html`<p class="notice" role="status">${ctx.notice}</p>` : '';
  const alert = ctx?.alert ? html`<p class="alert" role="alert">${ctx.alert}</p>` : '';
  const flash = html`${notice}${alert}`;
  const head = html`<meta charset="utf-8">${HEAD_META}<title>${title} · tactful</title>${STYLE_ELEMENT}`;
  const header = html`<header><span class="brand">tactful</span>${nav}</header>`;
  return {
    statusCode: status,
    headers: CONSOLE_HEADERS,
    body: html`<!doctype html><html lang="en"><head>${head}</head><body>${header}<main>${flash}${body}</main></body></html>`.value,
  };
}

/** A typed error as a console page: the one mapping's status, heading and words (errorAnswers.ts); others are thrown on. */
export function refusalPage(error: unknown, ctx: PageContext | undefined): HttpResponse {
  const refusal = refusalOf(error);
  if (!refusal) throw error;
  return page(refusal.title, ctx, html`<h1>${refusal.title}</h1><p>${refusal.message}</p>`, refusal.status);
}

export const seeOther = (location: string, cookies?: string[]): HttpResponse => ({
  statusCode: 303,
  headers: { ...CONSOLE_HEADERS, location },
  body: '',
  ...(cookies ? { cookies } : {}),
});

/** Hidden CSRF field for a console form. */
export const csrfField = (csrf: string): Html => html`<input type="hidden" name="csrf" value="${csrf}" />`;
