import { parse } from 'handlebars';
import { nestingOf, templateLimitProblems, TEMPLATE_LIMITS } from '../../functions/domain/rendering/templateLimits';
import { stripControls } from '../../functions/domain/events/events';

/** How deep Handlebars itself sees a source nest: the scan must never say less. */
function parsedDepth(source: string): number {
  const walk = (program: { body: { type: string; program?: unknown; inverse?: unknown }[] } | undefined, depth: number): number => {
    let max = depth;
    for (const node of program?.body ?? []) {
      if (node.type !== 'BlockStatement') continue;
      max = Math.max(max, walk(node.program as never, depth + 1), walk(node.inverse as never, depth + 1));
    }
    return max;
  };
  return walk(parse(source) as never, 0);
}

describe('template limits, measured before parsing', () => {
  it('counts nested blocks, inverse blocks and else-if chains as Handlebars nests them', () => {
    expect(nestingOf('{{#if 1}}'.repeat(30) + 'x' + '{{/if}}'.repeat(30)).blocks).toBe(30);
    expect(nestingOf('{{#if a}}' + '{{else if b}}x'.repeat(40) + '{{/if}}').blocks).toBe(41);
    expect(nestingOf('{{^if a}}{{^if b}}x{{/if}}{{/if}}{{#if c}}{{^}}y{{/if}}').blocks).toBe(2);
    expect(nestingOf('{{~#each items~}}{{#with this}}{{else}}{{/with}}{{~/each~}}').blocks).toBe(2);
    const sources = [
      '{{#if a}}{{else if b}}{{else if c}}{{else}}{{/if}}',
      '{{#each a}}{{#if b}}{{^if c}}x{{/if}}{{/if}}{{/each}}',
      '{{#if a}}{{#if b}}{{/if}}{{#if c}}{{/if}}{{/if}}',
    ];
    for (const source of sources) {
      expect(nestingOf(source).blocks).toBeGreaterThanOrEqual(parsedDepth(source));
    }
  });

  it('cannot be talked down by escapes, comments, strings or raw blocks', () => {
    // \{{ escapes one mustache, \\{{ does not; a comment hides what is in it, and only that.
    expect(nestingOf('\\{{#if a}}{{#if b}}{{/if}}').blocks).toBe(1);
    expect(nestingOf('\\\\{{#if a}}{{#if b}}{{/if}}{{/if}}').blocks).toBe(2);
    expect(nestingOf('{{!-- {{#if a}}{{#if b}} --}}{{#if c}}{{/if}}').blocks).toBe(1);
    expect(nestingOf('{{!-- -- }} --}}{{#if c}}{{#if d}}{{/if}}{{/if}}').blocks).toBe(2);
    expect(nestingOf('{{concat "))))" (concat (concat "x"))}}').subexpressions).toBe(2);
    expect(nestingOf('{{#if a}}{{{{raw}}}}{{{{/raw}}}}{{#if b}}{{/if}}{{/if}}').blocks).toBe(2);
  });

  it('names each part over a limit and the limit, in words', () => {
    const nested = '{{#if 1}}'.repeat(25) + '{{/if}}'.repeat(25);
    const deep = `{{${'(concat '.repeat(10).slice(1)}"x"${')'.repeat(9)}}}`;
    const problems = templateLimitProblems({
      html: 'x'.repeat(TEMPLATE_LIMITS.htmlBytes + 1),
      text: nested,
      locales: { pl: { subject: 'Hej', strings: { why: deep } } },
    });
    expect(problems.map((p) => [p.part, p.message])).toEqual([
      ['html', 'is 257 KB; at most 256 KB is allowed'],
      ['text', 'nests blocks 25 deep; at most 24 is allowed (each {{else if}} counts as one)'],
      ['locales.pl.strings.why', 'nests subexpressions 9 deep; at most 8 is allowed'],
    ]);
  });

  it('measures a hostile 340 KB template without parsing it (one pass, no recursion)', () => {
    const hostile = '{{#if 1}}'.repeat(20_000) + 'x' + '{{/if}}'.repeat(20_000);
    expect(nestingOf(hostile).blocks).toBe(20_000);
  });
});

describe('control characters in shop text', () => {
  it('are stripped, and breaks become spaces unless the field keeps lines', () => {
    expect(stripControls('Ada\u0000\u0007\u001b[31m\u0085\u202e\u2066')).toBe('Ada[31m');
    expect(stripControls('two\nlines\tand\u2028more')).toBe('two lines and more');
    expect(stripControls('two\nlines', true)).toBe('two\nlines');
    expect(stripControls('Zażółć gęślą jaźń — ok')).toBe('Zażółć gęślą jaźń — ok');
  });
});
