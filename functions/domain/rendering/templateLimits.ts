/**
 * Limits on what a template may be, checked by a linear scan before anything parses it: Handlebars'
 * parser takes super-linear time (and stack) on deep nesting — 64 KB of nested `{{#if}}` held a
 * process for seconds — so depth and size are measured first, without it.
 */

export const TEMPLATE_LIMITS = {
  /** The HTML part, as MJML compiled it: Gmail clips at 102 KB, so a larger source can never be read whole. */
  htmlBytes: 256 * 1024,
  /** The plain-text part. */
  textBytes: 64 * 1024,
  /** A subject, preheader or string of a locale (subjects are also held to 200 characters by the schema). */
  stringBytes: 8 * 1024,
  /** Blocks inside blocks (`{{#if}}`, `{{#each}}`, … and each `{{else if}}` of a chain, which nests as one). */
  blockDepth: 24,
  /** Subexpressions inside subexpressions: `(concat (concat …))`. */
  subexpressionDepth: 8,
} as const;

/** A part of a template over a limit: the part (`html`, `locales.pl.strings.why`) and the problem in words. */
export interface LimitProblem {
  part: string;
  /** The part as a path into the published template: ['locales', 'pl', 'strings', 'why']. */
  path: readonly string[];
  message: string;
}

export class TemplateLimitError extends Error {
  override name = 'TemplateLimitError';
  constructor(readonly problems: readonly LimitProblem[]) {
    super(problems.map((p) => `${p.part} ${p.message}`).join('; '));
  }
}

const kb = (bytes: number): string => `${Math.ceil(bytes / 1024)} KB`;

/** Where a comment that starts at `from` (after `{{!`) ends: `--}}` or `--~}}` for `{{!--`, else the first `}}`. */
function commentEnd(source: string, from: number): number {
  if (!source.startsWith('--', from)) return source.indexOf('}}', from);
  for (let at = source.indexOf('--', from + 2); at >= 0; at = source.indexOf('--', at + 1)) {
    if (source.startsWith('}}', at + 2) || source.startsWith('~}}', at + 2)) return at;
  }
  return -1;
}

/**
 * How deep blocks and subexpressions nest in a source, by one pass over its mustaches as Handlebars'
 * lexer sees them: `\{{` escapes one (`\\{{` does not), comments are skipped, strings may hold
 * parentheses and `}}`. Where it cannot tell, it counts more, never less.
 */
export function nestingOf(source: string): { blocks: number; subexpressions: number } {
  let blocks = 0;
  let subexpressions = 0;
  // Each open block's weight: 1, plus one per `{{else if …}}` it has seen (Handlebars nests each as a block).
  const open: number[] = [];
  let depth = 0;
  let i = source.indexOf('{{');
  while (i >= 0) {
    let slashes = 0;
    while (i - slashes - 1 >= 0 && source[i - slashes - 1] === '\\') slashes++;
    if (slashes === 1) {
      i = source.indexOf('{{', i + 2);
      continue;
    }
    const raw = source.startsWith('{{{{', i);
    let j = i + 2;
    while (source[j] === '{') j++;
    if (source[j] === '~') j++;
    const sigil = source[j];
    if (sigil === '!') {
      const end = commentEnd(source, j + 1);
      i = end < 0 ? -1 : source.indexOf('{{', end + 2);
      continue;
    }
    // Walk to the mustache's end, counting parentheses outside string literals.
    let parens = 0;
    let quote: string | undefined;
    let k = j;
    for (; k < source.length; k++) {
      const c = source[k]!;
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '(') subexpressions = Math.max(subexpressions, ++parens);
      else if (c === ')') parens = Math.max(0, parens - 1);
      else if (c === '}' && source[k + 1] === '}') break;
    }
    const inner = source.slice(j, k);
    const opens = sigil === '#' || (sigil === '^' && !/^\^\s*~?$/.test(inner)) || (raw && sigil !== '/');
    if (opens) {
      open.push(1);
      blocks = Math.max(blocks, ++depth);
    } else if (sigil === '/') {
      depth = Math.max(0, depth - (open.pop() ?? 0));
    } else if (/^\s*else\s+[^\s~}]/.test(inner) && open.length > 0) {
      open[open.length - 1]!++;
      blocks = Math.max(blocks, ++depth);
    }
    i = k >= source.length ? -1 : source.indexOf('{{', k + 2);
  }
  return { blocks, subexpressions };
}

/** The problems of one source, or none: size first (a cheap length), then nesting. */
export function sourceLimitProblems(path: readonly string[], source: string, maxBytes: number): LimitProblem[] {
  const part = path.join('.');
  const bytes = Buffer.byteLength(source);
  if (bytes > maxBytes) return [{ part, path, message: `is ${kb(bytes)}; at most ${kb(maxBytes)} is allowed` }];
  const { blocks, subexpressions } = nestingOf(source);
  const problems: LimitProblem[] = [];
  if (blocks > TEMPLATE_LIMITS.blockDepth) {
    const message = `nests blocks ${blocks} deep; at most ${TEMPLATE_LIMITS.blockDepth} is allowed (each {{else if}} counts as one)`;
    problems.push({ part, path, message });
  }
  if (subexpressions > TEMPLATE_LIMITS.subexpressionDepth) {
    const message = `nests subexpressions ${subexpressions} deep; at most ${TEMPLATE_LIMITS.subexpressionDepth} is allowed`;
    problems.push({ part, path, message });
  }
  return problems;
}

/** Every part of a template (HTML, text, each locale's subject, preheader and strings) against the limits. */
export function templateLimitProblems(template: {
  html: string;
  text: string;
  locales: Partial<Record<string, { subject: string; preheader?: string; strings?: Record<string, string> }>>;
}): LimitProblem[] {
  const problems = [
    ...sourceLimitProblems(['html'], template.html, TEMPLATE_LIMITS.htmlBytes),
    ...sourceLimitProblems(['text'], template.text, TEMPLATE_LIMITS.textBytes),
  ];
  for (const [locale, strings] of Object.entries(template.locales)) {
    if (!strings) continue;
    problems.push(...sourceLimitProblems(['locales', locale, 'subject'], strings.subject, TEMPLATE_LIMITS.stringBytes));
    if (strings.preheader) {
      problems.push(...sourceLimitProblems(['locales', locale, 'preheader'], strings.preheader, TEMPLATE_LIMITS.stringBytes));
    }
    for (const [key, source] of Object.entries(strings.strings ?? {})) {
      problems.push(...sourceLimitProblems(['locales', locale, 'strings', key], source, TEMPLATE_LIMITS.stringBytes));
    }
  }
  return problems;
}
