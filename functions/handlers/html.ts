/**
 * Markup for every page a person sees (the console, the preference center, the why page): a tagged
 * template that escapes every value unless it is already markup, so a page escapes by default and a
 * value cannot forget to be. Email HTML is not built here: templates escape through Handlebars.
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Text and attribute values: every character that could end a text run or an attribute, as a numeric entity. */
function escapeText(value: unknown): string {
  return String(value).replace(/[&<>"'`=]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function piece(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeText(value);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => (out += piece(value) + (strings[i + 1] ?? '')));
  return new Html(out);
}

/** Markup this code made itself and that holds no outside value (a style sheet, a JSON island already escaped). */
export const trustedMarkup = (markup: string): Html => new Html(markup);
