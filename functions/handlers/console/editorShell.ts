import { CONSOLE_HEADERS, Html, html } from './html';
import type { HttpResponse } from '../http';
import type { ConsoleAsset, ConsoleScript } from '../../adapters/consoleAssets/consoleAssets';

/**
 * What the editor pages add to a console page: their script (ours, from this origin only), the data it
 * starts from (JSON in the page, never run), and their styles. Every other console page runs no script.
 */

/** The console's policy with scripts and calls from this origin: nothing inline, no other origin. */
export const EDITOR_CSP = CONSOLE_HEADERS['content-security-policy']!.replace(
  "default-src 'none';",
  "default-src 'none'; script-src 'self'; connect-src 'self';",
);

export const withEditorPolicy = (response: HttpResponse): HttpResponse => ({
  ...response,
  headers: { ...response.headers, 'content-security-policy': EDITOR_CSP },
});

/** The script's address names its content, so the browser may keep it for good. */
export const scriptTag = (name: ConsoleScript, asset: ConsoleAsset): Html =>
  html`<script src="/admin/assets/${name}.js?v=${asset.hash}" defer></script>`;

/** JSON for a `<script type="application/json">` block: `<` escaped, so the data cannot end the block. */
export function dataBlock(id: string, data: unknown): Html {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new Html(`<script type="application/json" id="${id}">${json}</script>`);
}

/** A console script as the browser fetches it. */
export function scriptResponse(asset: ConsoleAsset, askedHash: string | undefined): HttpResponse {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'cache-control': askedHash === asset.hash ? 'private, max-age=31536000, immutable' : 'no-cache',
    },
    body: asset.body,
  };
}

export const EDITOR_STYLE = new Html(`<style>
.editor{display:grid;grid-template-columns:minmax(0,1fr) 22rem;gap:1.25rem;align-items:start}
@media (max-width:64rem){.editor{grid-template-columns:minmax(0,1fr)}}
.editor>*{min-width:0}
[role=tablist]{display:flex;flex-wrap:wrap;gap:.3rem;border-bottom:2px solid #0b6e4f;margin:0 0 .8rem}
[role=tab]{background:#fff;color:#0b6e4f;border-color:#cbd2d9;border-radius:6px 6px 0 0}
[role=tab][aria-selected=true]{background:#0b6e4f;color:#fff;border-color:#0b6e4f}
.wide-label{display:flex;margin-right:0}input.wide,textarea.wide{width:100%;min-width:0}
textarea{font:inherit;padding:.35rem .5rem;border:1px solid #cbd2d9;border-radius:6px}
.rows fieldset,.string-row,.sample{border:1px solid #e4e7eb;border-radius:6px;padding:.5rem .7rem;margin:0 0 .6rem;
display:flex;flex-wrap:wrap;align-items:flex-end;gap:.2rem 0;min-width:0}
.sample{display:block}.string-row label:nth-child(2){flex:1 1 16rem}
label.check{flex-direction:row;align-items:center;gap:.4rem}label.check input{min-width:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
#validation{list-style:none;padding:0;margin:0}#validation li{margin:0 0 .4rem}
button.link{background:none;border:0;color:#1f2933;padding:.15rem 0;text-align:left;text-decoration:underline;font-size:.9rem}
#validation .error .severity{color:#b42318;font-weight:700}#validation .warning .severity{color:#8d5b00;font-weight:700}
.inbox{border:1px solid #cbd2d9;border-radius:6px;background:#fff;padding:.6rem .8rem;margin:0 0 .8rem;overflow-wrap:anywhere}
.inbox .from{font-weight:700;margin-right:.6rem}.inbox .subject{font-weight:600}.inbox .preheader{color:#52606d}
.frame-wrap{max-width:100%;overflow-x:auto}iframe.w600{width:600px;height:44rem}iframe.mobile{height:44rem}
pre.diff{background:#fff;color:#1f2933;border:1px solid #e4e7eb;max-height:20rem}pre.diff span{display:block;white-space:pre-wrap}
pre.diff .add{background:#e3f9e5}pre.diff .del{background:#fde8e8}.diff-file h3{font-size:.95rem;margin:.8rem 0 .3rem}
pre.light{background:#fff;color:#1f2933;border:1px solid #e4e7eb;white-space:pre-wrap}
.inline{display:flex;flex-wrap:wrap;align-items:flex-end;gap:.4rem}.field-error{color:#b42318;font-size:.85rem;display:block}
fieldset{min-width:0;max-width:100%;border:1px solid #e4e7eb;border-radius:6px;margin:0 0 .8rem}legend{font-weight:600}
.editor select,.editor input{max-width:100%}.control{display:inline-flex;flex-direction:column;max-width:100%;vertical-align:top}
.control label{margin:0 1rem .1rem 0}.control .muted,.control .field-error{font-size:.8rem;max-width:24rem;margin:0 1rem .5rem 0}
.toolbar{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin:0 0 1rem}
</style>`);
