import Handlebars, { type TemplateDelegate } from 'handlebars';
import { candidateContext, pickDeclared } from '../../functions/domain/rendering/context';
import { readerFormats } from '../../functions/domain/rendering/formats';
import { escapeHtml, registerHelpers, SafeHtml, type RenderData } from '../../functions/domain/rendering/helpers';
import { compileTemplate, precompileSource, precompileTemplate } from '../../functions/domain/rendering/precompile';
import type { PublishedTemplate } from '../../functions/domain/rendering/publishedTemplate';
import { RenderBudget, RenderBudgetError } from '../../functions/domain/rendering/renderBudget';
import { loadSpec, partialsOf, TemplateBudgetError, type RenderOptions } from '../../functions/domain/rendering/renderer';
import { TemplateSyntaxError } from '../../functions/domain/rendering/templateSubset';
import { trackingFor } from '../../functions/domain/rendering/links';
import { PERSONALIZATION_LEVELS, type PersonalizationLevel } from '../../functions/domain/customers/profile';
import { SUPPORTED_LOCALES, type Locale } from '../../functions/domain/events/events';
import { compileTemplateSource, listTemplateNames, templatesDir } from '../../functions/publishing/templateSource';

/**
 * Templates render with Handlebars itself: precompiled at publish (Handlebars.precompile, after the
 * subset's checks) and run at send time by the runtime-only build with our helpers. Here that path
 * renders the same sources, helpers and inputs as Handlebars.compile with the same helpers, byte for
 * byte: what precompiling, the runtime and the budgeted #each do must change nothing a template shows.
 */

type Engine = (source: string, escape: boolean) => TemplateDelegate;

/** The send path: the spec publishing stores, loaded by the runtime. */
const precompiled: Engine = (source, escape) => loadSpec(precompileSource(source, escape).spec);

/** Handlebars' full build compiling the source, with the same helpers: the oracle. */
const oracle: Engine = (() => {
  const hb = Handlebars.create();
  registerHelpers(hb);
  return (source, escape) => hb.compile(source, { noEscape: !escape, strict: false });
})();

/** What a render's @data holds, with the strings (if any) compiled by the same engine, as the helper and as partials. */
function dataFor(engine: Engine, escape: boolean, strings: Record<string, string> = {}, level: PersonalizationLevel = 'basic'): RenderData {
  const lookup = (key: unknown) => (typeof key === 'string' && Object.hasOwn(strings, key) ? engine(strings[key]!, escape) : undefined);
  return {
    root: undefined,
    locale: 'pl',
    timeZone: 'UTC',
    level,
    formats: readerFormats('pl')('UTC'),
    budget: new RenderBudget(),
    strings: lookup,
    partials: partialsOf(lookup, Object.keys(strings)),
  };
}

const run = (engine: Engine, source: string, context: unknown, escape: boolean, strings?: Record<string, string>) => {
  const data = { ...dataFor(engine, escape, strings), root: context };
  return engine(source, escape)(context, { data, partials: data.partials });
};

const both = (source: string, context: unknown, escape = true, strings?: Record<string, string>) => ({
  ours: run(precompiled, source, context, escape, strings),
  handlebars: run(oracle, source, context, escape, strings),
});

describe('precompiled templates against Handlebars.compile', () => {
  // Handlebars logs each prototype property it hides; the test reads what it renders instead.
  beforeAll(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());
  const context = {
    name: 'Ada <&> "quoted" \'single\' `tick` =',
    zero: 0,
    no: false,
    empty: '',
    none: null,
    list: ['a', 'b', 'c'],
    emptyList: [],
    object: { x: 1, y: { z: 'deep' } },
    people: [
      { name: 'Ann', tags: ['x', 'y'], address: { city: 'Kraków' } },
      { name: 'Bob', tags: [], address: null },
    ],
    map: { first: 1, second: 2 },
    set: new Set(['s1', 's2']),
    count: 3,
    bytes: new Uint8Array([1, 2]),
    when: new Date(0),
    // A sparse array: Handlebars skips the holes.
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    sparse: [1, , 3],
  };
  const cases: [string, string][] = [
    ['escaping every special character', '{{name}}|{{{name}}}'],
    ['falsy values printed', '[{{zero}}][{{no}}][{{empty}}][{{none}}][{{missing}}][{{emptyList}}][{{list}}][{{object}}]'],
    [
      'paths through null and missing',
      '{{object.y.z}}|{{object.q.z}}|{{none.x}}|{{people.1.address.city}}|{{list.length}}|{{name.length}}',
    ],
    [
      'prototype properties hidden',
      '[{{constructor}}][{{object.constructor}}][{{object.__proto__}}][{{list.map}}][{{object.toString}}][{{name.toUpperCase}}]',
    ],
    [
      'inherited names on every kind of value',
      '[{{set.size}}][{{bytes.byteLength}}][{{bytes.length}}][{{count.toFixed}}][{{when.getTime}}][{{object.x.y.z}}]' +
        '[{{people.0.address.city.length}}][{{object.hasOwnProperty}}][{{list.length.toString}}]' +
        '{{#each people as |p|}}[{{p.constructor}}{{p.name.length}}{{p.tags.length}}]{{/each}}',
    ],
    [
      'if and unless on every kind of falsy',
      '{{#if zero}}z{{else}}!z{{/if}}{{#if zero includeZero=true}}Z{{/if}}{{#if no}}n{{else}}!n{{/if}}{{#if emptyList}}e{{else}}!e{{/if}}' +
        '{{#if list}}L{{/if}}{{#unless empty}}U{{/unless}}{{#unless count}}{{else}}C{{/unless}}{{#if object}}O{{/if}}',
    ],
    ['else if chains', '{{#if none}}1{{else if zero}}2{{else if count}}3{{else}}4{{/if}}'],
    [
      'each over arrays with @index, @first, @last and @key',
      '{{#each list}}{{@index}}:{{@key}}:{{this}}{{#if @first}}F{{/if}}{{#if @last}}L{{/if}},{{/each}}',
    ],
    [
      'each over objects and sets',
      '{{#each map}}{{@key}}={{this}}@{{@index}}{{#if @last}}!{{/if}};{{/each}}|{{#each set}}{{@index}}{{this}}{{/each}}',
    ],
    [
      'each else, and each over a string or a number',
      '{{#each emptyList}}x{{else}}none{{/each}}|{{#each name}}x{{else}}str{{/each}}|{{#each count}}x{{else}}num{{/each}}',
    ],
    [
      'nested each with ../ and @root',
      '{{#each people}}{{name}}:{{#each tags}}{{this}}-{{../name}}-{{@root.count}}-{{@index}}{{/each}};{{/each}}',
    ],
    [
      '../ skips blocks that keep their context',
      '{{#each people}}{{#if name}}{{#with address}}{{city}}<{{../name}}>{{else}}none<{{../name}}>{{/with}}{{/if}}{{/each}}',
    ],
    [
      '../ counts only blocks whose context differs',
      '{{#with object}}{{#with this}}{{../count}}{{/with}}{{#each (lookup this "y")}}{{../x}}{{/each}}{{/with}}',
    ],
    ['each skips holes', '{{#each sparse}}{{@index}}={{this}}{{#if @last}}L{{/if}},{{/each}}'],
    ['../ above the root', '[{{../count}}]{{#with object}}{{../count}}|{{#with y}}{{../x}}|{{../../count}}{{/with}}{{/with}}'],
    [
      'with and its else',
      '{{#with object.y}}{{z}}{{/with}}{{#with zero}}[{{this}}]{{/with}}{{#with none}}x{{else}}no{{/with}}' +
        '{{#with emptyList}}x{{else}}empty{{/with}}',
    ],
    ['a block param wins over a helper of the same name', '{{#each list as |concat i|}}[{{concat}}{{i}}]{{/each}}'],
    ['@-paths walk through 0 and false', '[{{@root.zero.x}}][{{@root.no.x}}][{{@root.none.x}}][{{#each list}}{{@index.x}}{{/each}}]'],
    ['this anywhere in a path is scoped, as Handlebars reads it', '{{#each list as |x-this|}}[{{x-this}}]{{/each}}'],
    [
      'block params',
      '{{#each people as |person i|}}{{i}}{{person.name}}{{#each person.tags as |tag|}}{{tag}}{{person.name}}{{name}}{{/each}}{{/each}}' +
        '{{#with object as |o|}}{{o.x}}{{/with}}',
    ],
    ['this and ./ paths', '{{#each list}}{{.}}{{this}}{{./length}}{{/each}}{{this.count}}{{./count}}'],
    [
      'helpers, subexpressions, hashes and literals',
      '{{concat name "!"}}|{{concat "a" 1 true (concat "b" null)}}|{{image "javascript:x" alt="<b>"}}|{{concat null undefined}}|' +
        '{{plural count one="item" few="items" other="of items"}}|{{lookup object "x"}}|{{lookup people 1}}|{{lookup none "x"}}|' +
        '{{#each people}}{{lookup ../map "first"}}{{/each}}',
    ],
    ['custom conditional blocks', '{{#each list}}{{#requireLevel "basic"}}b{{else}}-{{/requireLevel}}{{/each}}'],
    [
      'whitespace control and standalone lines',
      'a  {{~name~}}  b\n{{#if count}}\n  line\n{{/if}}\n{{! comment }}\n{{!-- long -- comment --}}\nend {{~#if count~}} x {{~/if~}} y',
    ],
    ['data variables', '{{@locale}}|{{@root.name}}|{{@missing}}'],
    // Specs carry template text only as JSON literals: text that looks like code stays text.
    [
      'text and names that look like code',
      'a"; throw new Error("x"); "\u2028\u2029 ${x} `t` \\ </script>{{object.[we"ird]}}' +
        '{{lookup object "x\\"); process.exit(1); //"}}{{concat "\\"" "\\n"}}',
    ],
  ];
  it.each(cases)('%s', (_name, source) => {
    const { ours, handlebars } = both(source, context);
    expect(ours).toBe(handlebars);
    const plain = both(source, context, false);
    expect(plain.ours).toBe(plain.handlebars);
  });

  describe('strings through {{t}}, against the same strings compiled by Handlebars', () => {
    const sources: Record<string, string> = {
      greet: 'Hi {{name}}, {{count}}',
      row: '[{{@index}}{{#if @last}}L{{/if}}:{{object.x}}:{{p.name}}]',
      nested: '{{t "greet"}}/{{#each list}}{{this}}{{t "greet"}}{{/each}}',
      climbing: '{{#with object}}{{x}}<{{../count}}>{{/with}}',
      empty: '',
    };
    it.each([
      ['at the root', '{{t "greet"}}{{t "empty"}}!'],
      [
        "inside loops and blocks, with the loop's variables and without its block params",
        '{{#each people as |p|}}{{t "row"}}{{#if name}}{{t "row"}}{{/if}}{{/each}}',
      ],
      ['within each other', '{{#with object}}{{t "nested"}}{{/with}}'],
      ['climbing with ../', '{{t "climbing"}}{{#each people}}{{t "climbing"}}{{/each}}'],
      // Compiled to partial calls, literal keys keep the whitespace a helper call keeps.
      ['alone on a line, and in a standalone block', 'a\n  {{t "greet"}}\n{{#if count}}\n  {{t "greet"}}\n{{/if}}\n{{~t "row"~}}\n b'],
      // A string given parameters or a computed key sees the loop's @index too.
      ['with parameters and computed keys', '{{#each people}}{{t "row" p=this}}{{t (concat "ro" "w")}}{{/each}}'],
    ])('%s', (_name, source) => {
      for (const escape of [true, false]) {
        const { ours, handlebars } = both(source, context, escape, sources);
        expect(ours).toBe(handlebars);
      }
    });
  });

  it('shows nothing a prototype gained at run time, nor what constructor or __proto__ lead to', () => {
    const source =
      '[{{polluted}}][{{object.polluted}}][{{name.polluted}}][{{count.polluted}}][{{list.polluted}}][{{when.polluted}}][{{set.polluted}}]' +
      '[{{constructor.constructor}}][{{object.constructor.constructor}}][{{__proto__}}][{{object.__proto__.polluted}}]' +
      '[{{lookup this "constructor"}}][{{lookup (lookup object "constructor") "constructor"}}][{{lookup object "__proto__"}}]' +
      '[{{#with constructor}}{{name}}{{/with}}][{{#each __proto__}}{{@key}}{{/each}}][{{#with object.constructor}}x{{/with}}]';
    const expected = '[]'.repeat(17);
    const template = compileTemplate({ ...inline, html: source, text: source });
    const render = () => template.render('en', 'UTC', context);
    expect(render()).toMatchObject({ html: expected, text: `${expected}\n` });
    const prototypes = [Object.prototype, Array.prototype, Date.prototype, Set.prototype, String.prototype, Number.prototype];
    for (const prototype of prototypes) (prototype as unknown as Record<string, unknown>)['polluted'] = '<img src=x onerror=alert(1)>';
    try {
      expect(render()).toMatchObject({ html: expected, text: `${expected}\n` });
    } finally {
      for (const prototype of prototypes) delete (prototype as unknown as Record<string, unknown>)['polluted'];
    }
  });

  it('adds adjacent numbers in plain text, as Handlebars 4.7 does (handlebars.js#1838): anything between them keeps them apart', () => {
    expect(both('{{count}}{{object.x}}', context, false)).toEqual({ ours: '4', handlebars: '4' });
    expect(both('{{count}} {{object.x}}', context, false).ours).toBe('3 1');
    expect(both('{{count}}{{object.x}}', context).ours).toBe('31');
  });

  it('refuses what the subset leaves out, with the line', () => {
    const refused = (source: string) => () => precompileSource(source, true);
    expect(refused('ok\n{{> footer}}')).toThrow(
      new TemplateSyntaxError('partial statement not supported: keep each template self-contained', 2),
    );
    expect(refused('{{#*inline "x"}}y{{/inline}}')).toThrow(/decorator block not supported/);
    expect(refused('{{#people}}x{{/people}}')).toThrow(/unknown block helper "people"/);
    expect(refused('{{#this.each list}}x{{/this.each}}')).toThrow(/unknown block helper "this.each"/);
    expect(refused('{{nothere name}}')).toThrow(/unknown helper "nothere"/);
    expect(refused('{{log name}}')).toThrow(/unknown helper "log"/);
    expect(refused('{{[string key]}}')).toThrow(/unknown helper "string key"/);
    expect(refused('{{#if a b}}x{{/if}}')).toThrow(/#if needs exactly one argument/);
    expect(refused('{{#if a as |b|}}x{{/if}}')).toThrow(/#if has no block params/);
    expect(refused('{{#each a}}{{@../index}}{{/each}}')).toThrow(/@\.\.\/ is not supported/);
    expect(refused('{{#each a as |concat|}}{{concat "x"}}{{/each}}')).toThrow(/"concat" is a block param here, not a helper/);
    expect(refused('{{concat "a" with="-" with="+"}}')).toThrow(/with= is given twice/);
    expect(refused('{{if a}}')).toThrow(/\{\{if\}\} is a block helper/);
    expect(refused('{{requireLevel}}')).toThrow(/\{\{requireLevel\}\} is a block helper/);
    expect(refused('{{lookup a}}')).toThrow(/lookup needs an object and a key/);
    expect(refused('{{"x" a}}')).toThrow(/a string literal cannot be called/);
    expect(refused('\n\n{{#if a}}')).toThrow(expect.objectContaining({ name: 'TemplateSyntaxError' }));
    // Errors that say "line N", and those that carry the line apart.
    expect(refused('\n{{#if}}')).toThrow(expect.objectContaining({ line: 2 }));
    expect(refused('\n\n{{#each a}}x{{/with}}')).toThrow(expect.objectContaining({ line: 3 }));
    expect(refused('a\n{{foo/this}}')).toThrow(expect.objectContaining({ line: 2 }));
  });
});

const inline: PublishedTemplate = {
  name: 'inline',
  version: 'v1',
  html: '',
  text: '',
  fields: {},
  publishedAt: '',
  locales: { en: { subject: 'S', preheader: '', strings: {} } },
};
const withStrings = (html: string, strings: Record<string, string>): PublishedTemplate => ({
  ...inline,
  html,
  locales: { en: { subject: 'S', preheader: '', strings } },
});

describe('strings that call strings', () => {
  it('that include each other twice at every level, run out of the render budget, and render whole within it', () => {
    // 2^20 calls of the innermost string: the render budget ends it with a named error.
    const chain: Record<string, string> = { s20: '{{n}}' };
    for (let level = 0; level < 20; level++) chain[`s${level}`] = `{{t "s${level + 1}"}}{{t "s${level + 1}"}}`;
    const bomb = compileTemplate(withStrings('{{t "s0"}}', chain));
    expect(() => bomb.render('en', 'UTC', { n: 'x' })).toThrow(TemplateBudgetError);
    expect(() => bomb.render('en', 'UTC', { n: 'x' })).toThrow(expect.objectContaining({ cause: expect.any(RenderBudgetError) }));
    // Ten levels (1,024 uses) are within the budget and render whole.
    const ten = compileTemplate(withStrings('{{t "s0"}}', { ...chain, s10: '{{n}}' }));
    expect(ten.render('en', 'UTC', { n: 'x' }).html).toBe('x'.repeat(2 ** 10));
  });

  it('are refused at publish when one includes itself, also from inside a block', () => {
    const including = (strings: Record<string, string>) => () => precompileTemplate(withStrings('{{t "a"}}', strings));
    expect(including({ a: 'x{{t "a"}}' })).toThrow(/string "a" includes itself: a → a/);
    expect(including({ a: '{{#each list}}{{t "b"}}{{/each}}', b: '{{#with o}}{{t "a"}}{{/with}}' })).toThrow(
      /string "a" includes itself: a → b → a/,
    );
    expect(including({ a: '{{#with o}}{{../x}}{{t "a" n=1}}{{/with}}' })).toThrow(/includes itself/);
  });
});

describe('escapeHtml', () => {
  it("is Handlebars' escaping: seven characters as entities, SafeHtml as it is, nothing for null and undefined", () => {
    expect(escapeHtml('&<>"\'`=')).toBe('&amp;&lt;&gt;&quot;&#x27;&#x60;&#x3D;');
    expect(escapeHtml('https://s.example/c?a=1&b=2')).toBe('https://s.example/c?a&#x3D;1&amp;b&#x3D;2');
    expect(escapeHtml('zażółć <b> \u{1F600}')).toBe('zażółć &lt;b&gt; \u{1F600}');
    expect([new SafeHtml('<b>kept</b>'), null, undefined, false, 0, 12.5].map(escapeHtml)).toEqual([
      '<b>kept</b>',
      '',
      '',
      'false',
      '0',
      '12.5',
    ]);
  });
});

/**
 * A whole email as Handlebars.compile renders it with the same helpers and data: the oracle for the
 * shipped templates. Subject and text tidied as the renderer tidies them.
 */
function oracleRender(
  published: PublishedTemplate,
  locale: Locale,
  context: Record<string, unknown>,
  options: RenderOptions & { subjectSource?: string },
) {
  const chosen = published.locales[locale] ?? published.locales.en!;
  const sources = { ...chosen.strings, subject: chosen.subject, preheader: chosen.preheader };
  const data = (escape: boolean): RenderData => ({
    ...dataFor(oracle, escape, sources, options.level),
    root: context,
    locale,
    timeZone: 'America/New_York',
    formats: readerFormats(locale)('America/New_York'),
    tracking: options.tracking,
  });
  const subject = oracle(options.subjectSource ?? chosen.subject, false)(context, { data: data(false) });
  const text = oracle(published.text, false)(context, { data: data(false) });
  return {
    subject: subject.replace(/\s+/g, ' ').trim(),
    html: oracle(published.html, true)(context, { data: data(true) }),
    text: text.replace(/\n{3,}/g, '\n\n').trim() + '\n',
  };
}

describe('shipped templates: the send path renders exactly what Handlebars renders', () => {
  it('every template, sample, locale and personalization level, with tracking and a subject override', async () => {
    let compared = 0;
    const subjectSource = 'Hi {{customer.firstName}} & co';
    const subject = loadSpec(precompileSource(subjectSource, false).spec);
    for (const name of listTemplateNames(templatesDir())) {
      const published = await compileTemplateSource(templatesDir(), name, '2026-11-22T00:00:00Z');
      const ours = compileTemplate(published);
      const contexts = Object.values(published.samples ?? {}).map((s) => s.data);
      // And the cart every abandoned-cart email is about, as candidateContext builds it.
      contexts.push(
        candidateContext({
          profile: { customerId: 'c', firstName: 'Zoë & <b>', locale: 'pl', consent: {}, updatedAt: '' },
          cart: {
            customerId: 'c',
            cartKey: 'k',
            updatedAt: '2026-11-21T23:30:00Z',
            cartUrl: 'https://shop.example.com/cart?x=1',
            items: [1, 2, 5, 22].map((qty, n) => ({
              sku: `S${n}`,
              name: `Item "${n}"`,
              price: 9.99 * qty,
              currency: 'PLN',
              qty,
              imageUrl: n % 2 ? 'javascript:alert(1)' : `https://cdn.example.com/${n}.png`,
              url: `https://shop.example.com/p/${n}`,
            })),
          },
          consent: { status: 'granted', at: '2026-01-31T23:59:59Z', source: 'checkout', policyVersion: '1' },
          links: { unsubscribe: 'https://t.example/u/T', preferences: 'https://t.example/preferences/T' },
          shop: { name: 'Demo & Co', postalAddress: 'ul. Długa 1' },
          incentive: { code: 'GOLD10', percent: 10 },
        }),
      );
      for (const candidate of contexts) {
        for (const locale of SUPPORTED_LOCALES as readonly Locale[]) {
          for (const level of PERSONALIZATION_LEVELS) {
            let context: Record<string, unknown>;
            try {
              context = pickDeclared({ ...contexts[0], ...candidate }, published.fields, level).context;
            } catch {
              continue; // required data absent at this level: no email to compare
            }
            const tracking = trackingFor('camp', 'step', 'b');
            expect(ours.render(locale, 'America/New_York', context, { level })).toEqual(
              oracleRender(published, locale, context, { level }),
            );
            expect(ours.render(locale, 'America/New_York', context, { level, tracking, subject })).toEqual(
              oracleRender(published, locale, context, { level, tracking, subjectSource }),
            );
            compared += 2;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});

// The oracle must itself be Handlebars' compiler: a sanity check that it is not the precompiled path by accident.
test('the oracle is Handlebars', () => {
  expect(run(oracle, '{{#each x}}{{@index}}{{/each}}', { x: [1, 2] }, true)).toBe('01');
  expect(() => run(oracle, '{{> p}}', {}, true)).toThrow(/partial p could not be found/);
});
