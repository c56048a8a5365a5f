/**
 * Small DOM helpers for the console's editors: elements built from data (never from HTML strings, so
 * nothing a marketer types becomes markup), and JSON calls to the console with the page's CSRF token.
 */

type Attrs = Record<string, string | boolean | number | undefined | EventListener>;
export type Child = Node | string | false | undefined | null;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') node.addEventListener(key.replace(/^on/, ''), value);
    else if (key === 'value' && 'value' in node) (node as HTMLInputElement).value = String(value);
    else if (key === 'checked' && typeof value === 'boolean') (node as HTMLInputElement).checked = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null && child !== false) node.append(child);
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

/** The JSON a page carries in `<script type="application/json" id="…">` (data, never run). */
export function pageData<T>(id: string): T {
  return JSON.parse(byId(id).textContent ?? 'null') as T;
}

export interface Answer<T> {
  status: number;
  body: T;
}

/** A JSON call to the console: the session cookie goes by itself, the CSRF token in a header. */
export async function call<T>(url: string, csrf: string, body: unknown): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { error: { path: '(answer)', message: `the console answered ${response.status} ${text.slice(0, 200)}` } };
  }
  return { status: response.status, body: parsed as T };
}

/** A function that runs `fn` once `ms` after the last call. */
export function debounce(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

/** Says something in a live region: screen readers hear it, and it shows. */
export function say(target: HTMLElement, text: string, kind: 'notice' | 'alert' | 'plain' = 'plain'): void {
  target.textContent = text;
  target.className = kind === 'plain' ? 'muted' : kind;
  target.hidden = text === '';
}
