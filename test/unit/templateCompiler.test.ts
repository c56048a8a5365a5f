import Handlebars from 'handlebars';
import { candidateContext, pickDeclared } from '../../functions/domain/rendering/context';
import { compileTemplate, type TemplateEngine } from '../../functions/domain/rendering/renderer';
import {
  compile,
  escapeHtml,
  generate,
  PollutedPrototypeError,
  RenderBudgetError,
  SafeHtml,
  TemplateSyntaxError,
  type CompileOptions,
  type TemplateFunction,
} from '../../functions/domain/rendering/templateCompiler';
import { trackingFor } from '../../functions/domain/rendering/links';
import { PERSONALIZATION_LEVELS } from '../../functions/domain/profile';
import { SUPPORTED_LOCALES, type Locale } from '../../functions/domain/events';
import { compileTemplateSource, listTemplateNames, templatesDir } from '../../functions/publishing/templateSource';

/**
 * Our compiler against Handlebars itself: the same sources, helpers and inputs must give the same
 * output, byte for byte. Handlebars is the reference for every semantic the subset keeps.
 */

/** Handlebars with the same helpers, behind the same signature: the oracle. */
const handlebarsEngine: TemplateEngine = (source, options) => {
  const hb = Handlebars.create();
  for (const [name, helper] of Object.entries(options.inline)) {
    hb.registerHelper(name, (...args: unknown[]) => {
      const o = args.pop() as Handlebars.HelperOptions;
      return helper(args, o.hash as Record<string, unknown>, o.data as Record<string, unknown>);
    });
  }
  for (const [name, helper] of Object.entries(options.conditional)) {
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const o = args.pop() as Handlebars.HelperOptions;
      return helper(args, o.hash as Record<string, unknown>, o.data as Record<string, unknown>) ? o.fn(this) : o.inverse(this);
    });
  }
  const template = hb.compile(source, { noEscape: !options.escape, strict: false });
  return (context, data) => template(context, { data });
};

const helpers: CompileOptions = {
  escape: true,
  inline: {
    shout: ([value]) => String(value).toUpperCase(),
    raw: ([value]) => new SafeHtml(String(value)),
    join: (args, hash) => args.join(String(hash['with'] ?? '')),
  },
  conditional: { even: ([n]) => Number(n) % 2 === 0 },
};

const both = (
  source: string,
  context: unknown,
  options: Partial<CompileOptions> = {},
  data: Record<string, unknown> = { locale: 'pl' },
) => {
  const merged = { ...helpers, ...options };
  return { ours: compile(source, merged)(context, data), handlebars: handlebarsEngine(source, merged)(context, data) };
};

describe('the template compiler against Handlebars', () => {
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
    // Names no built-in prototype has are read directly; these are the ones that need the own-property check.
    [
      'inherited names on every kind of value',
      '[{{set.size}}][{{bytes.byteLength}}][{{bytes.length}}][{{count.toFixed}}][{{when.getTime}}][{{object.x.y.z}}][{{people.0.address.city.length}}][{{object.hasOwnProperty}}][{{list.length.toString}}]{{#each people as |p|}}[{{p.constructor}}{{p.name.length}}{{p.tags.length}}]{{/each}}',
    ],
    [
      'if and unless on every kind of falsy',
      '{{#if zero}}z{{else}}!z{{/if}}{{#if zero includeZero=true}}Z{{/if}}{{#if no}}n{{else}}!n{{/if}}{{#if emptyList}}e{{else}}!e{{/if}}{{#if list}}L{{/if}}{{#unless empty}}U{{/unless}}{{#unless count}}{{else}}C{{/unless}}{{#if object}}O{{/if}}',
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
      '{{#with object.y}}{{z}}{{/with}}{{#with zero}}[{{this}}]{{/with}}{{#with none}}x{{else}}no{{/with}}{{#with emptyList}}x{{else}}empty{{/with}}',
    ],
    ['a block param wins over a helper of the same name', '{{#each list as |shout i|}}[{{shout}}{{i}}]{{/each}}'],
    ['@-paths walk through 0 and false', '[{{@root.zero.x}}][{{@root.no.x}}][{{@root.none.x}}][{{#each list}}{{@index.x}}{{/each}}]'],
    ['this anywhere in a path is scoped, as Handlebars reads it', '{{#each list as |x-this|}}[{{x-this}}]{{/each}}'],
    [
      'block params',
      '{{#each people as |person i|}}{{i}}{{person.name}}{{#each person.tags as |tag|}}{{tag}}{{person.name}}{{name}}{{/each}}{{/each}}{{#with object as |o|}}{{o.x}}{{/with}}',
    ],
    ['this and ./ paths', '{{#each list}}{{.}}{{this}}{{./length}}{{/each}}{{this.count}}{{./count}}'],
    [
      'helpers, subexpressions, hashes and literals',
      '{{shout name}}|{{join "a" 1 true (shout "b") with="-"}}|{{raw "<b>"}}|{{join null undefined with="+"}}|{{lookup object "x"}}|{{lookup people 1}}|{{lookup none "x"}}|{{#each people}}{{lookup ../map "first"}}{{/each}}',
    ],
    ['custom conditional blocks', '{{#each list}}{{#even @index}}e{{else}}o{{/even}}{{/each}}'],
    [
      'whitespace control and standalone lines',
      'a  {{~name~}}  b\n{{#if count}}\n  line\n{{/if}}\n{{! comment }}\n{{!-- long -- comment --}}\nend {{~#if count~}} x {{~/if~}} y',
    ],
    ['data variables', '{{@locale}}|{{@root.name}}|{{@missing}}'],
    // Generated code carries template text only as JSON literals: text that looks like code stays text.
    [
      'text and names that look like code',
      'a"; throw new Error("x"); "\u2028\u2029 ${x} `t` \\ </script>{{object.[we"ird]}}{{lookup object "x\\"); process.exit(1); //"}}{{join "\\"" with="\\n"}}',
    ],
  ];
  it.each(cases)('%s', (_name, source) => {
    const { ours, handlebars } = both(source, context);
    expect(ours).toBe(handlebars);
    const plain = both(source, context, { escape: false });
    expect(plain.ours).toBe(plain.handlebars);
  });

  describe('strings compiled in, against the same strings run by a helper', () => {
    const sources: Record<string, string> = {
      greet: 'Hi {{name}}, {{count}}',
      row: '[{{@index}}{{#if @last}}L{{/if}}:{{object.x}}:{{p.name}}]',
      nested: '{{t "greet"}}/{{#each list}}{{this}}{{t "greet"}}{{/each}}',
      climbing: '{{#with object}}{{x}}<{{../count}}>{{/with}}',
      empty: '',
    };
    // The helper a render uses for strings not compiled in: the string, compiled by the same engine, run at the root.
    const withStrings = (engine: (source: string, options: CompileOptions) => TemplateFunction, escape: boolean): CompileOptions => {
      const options: CompileOptions = {
        ...helpers,
        escape,
        inline: { ...helpers.inline, t: ([key], _hash, data) => new SafeHtml(engine(sources[key as string]!, options)(data.root, data)) },
        inlined: { helper: 't', sources },
      };
      return options;
    };
    it.each([
      ['at the root', '{{t "greet"}}{{t "empty"}}!'],
      [
        "inside loops and blocks, with the loop's variables and without its block params",
        '{{#each people as |p|}}{{t "row"}}{{#if name}}{{t "row"}}{{/if}}{{/each}}',
      ],
      ['within each other', '{{#with object}}{{t "nested"}}{{/with}}'],
      ['climbing with ../', '{{t "climbing"}}{{#each people}}{{t "climbing"}}{{/each}}'],
    ])('%s', (_name, source) => {
      for (const escape of [true, false]) {
        const ours = compile(source, withStrings(compile, escape))(context, { locale: 'pl' });
        expect(ours).toBe(handlebarsEngine(source, withStrings(handlebarsEngine, escape))(context, { locale: 'pl' }));
      }
    });
    it('strings that include each other twice at every level compile without writing each use out', () => {
      // 2^20 uses of the innermost string: written in place each time, the code would run to tens of megabytes.
      const chain: Record<string, string> = { s20: '{{n}}' };
      for (let level = 0; level < 20; level++) chain[`s${level}`] = `{{t "s${level + 1}"}}{{t "s${level + 1}"}}`;
      const options: CompileOptions = { ...helpers, inline: { t: () => '' }, inlined: { helper: 't', sources: chain } };
      expect(generate('{{t "s0"}}', options).code.length).toBeLessThan(100_000);
      // Rendering it is a bomb (2^20 calls): the render budget ends it with a named error.
      expect(() => compile('{{t "s0"}}', options)({ n: 'x' }, {})).toThrow(RenderBudgetError);
      // Ten levels (1,024 uses) are within the budget and render whole.
      const ten = { ...chain, s10: '{{n}}' };
      expect(compile('{{t "s0"}}', { ...options, inlined: { helper: 't', sources: ten } })({ n: 'x' }, {})).toBe('x'.repeat(2 ** 10));
    });
    it('refuses a string that includes itself, also from inside a block', () => {
      const including = (strings: Record<string, string>) => () =>
        compile('{{t "a"}}', { ...helpers, inline: { t: () => '' }, inlined: { helper: 't', sources: strings } });
      expect(including({ a: 'x{{t "a"}}' })).toThrow(/string "a" includes itself: a → a/);
      expect(including({ a: '{{#each list}}{{t "b"}}{{/each}}', b: '{{#with o}}{{t "a"}}{{/with}}' })).toThrow(
        /string "a" includes itself: a → b → a/,
      );
      expect(including({ a: '{{#with o}}{{../x}}{{t "a"}}{{/with}}' })).toThrow(/includes itself/);
    });
  });

  it('refuses to render once an object prototype has been polluted, where a direct read would show the polluted value', () => {
    const template = compile('[{{polluted}}][{{object.polluted}}][{{name.polluted}}][{{count.polluted}}]', helpers);
    expect(template(context, {})).toBe('[][][][]');
    const pollute = (prototype: object, read: () => unknown): unknown => {
      (prototype as Record<string, unknown>)['polluted'] = '<img src=x onerror=alert(1)>';
      try {
        return read();
      } finally {
        delete (prototype as Record<string, unknown>)['polluted'];
      }
    };
    for (const prototype of [Object.prototype, Array.prototype, Date.prototype, Set.prototype])
      expect(() => pollute(prototype, () => template(context, {}))).toThrow(PollutedPrototypeError);
    // A string's or a number's properties are always read with the own-property check: nothing to refuse.
    for (const prototype of [String.prototype, Number.prototype]) expect(pollute(prototype, () => template(context, {}))).toBe('[][][][]');
    expect(template(context, {})).toBe('[][][][]');
  });

  it('concatenates adjacent numbers in plain text, where Handlebars 4.7 adds them (handlebars.js#1838)', () => {
    const { ours, handlebars } = both('{{count}}{{object.x}}', context, { escape: false });
    expect(handlebars).toBe('4');
    expect(ours).toBe('31');
  });

  it('refuses what the subset leaves out, with the line', () => {
    const refused = (source: string) => () => compile(source, helpers);
    expect(refused('ok\n{{> footer}}')).toThrow(
      new TemplateSyntaxError('partial statement not supported: keep each template self-contained', 2),
    );
    expect(refused('{{#people}}x{{/people}}')).toThrow(/unknown block helper "people"/);
    expect(refused('{{nothere name}}')).toThrow(/unknown helper "nothere"/);
    expect(refused('{{#if a b}}x{{/if}}')).toThrow(/#if needs exactly one argument/);
    expect(refused('{{#if a as |b|}}x{{/if}}')).toThrow(/#if has no block params/);
    expect(refused('{{#each a}}{{@../index}}{{/each}}')).toThrow(/@\.\.\/ is not supported/);
    expect(refused('{{#each a as |shout|}}{{shout "x"}}{{/each}}')).toThrow(/"shout" is a block param here, not a helper/);
    expect(refused('{{join "a" with="-" with="+"}}')).toThrow(/with= is given twice/);
    expect(refused('\n\n{{#if a}}')).toThrow(expect.objectContaining({ name: 'TemplateSyntaxError' }));
    // Errors that say "line N", and those that carry the line apart.
    expect(refused('\n{{#if}}')).toThrow(expect.objectContaining({ line: 2 }));
    expect(refused('\n\n{{#each a}}x{{/with}}')).toThrow(expect.objectContaining({ line: 3 }));
    expect(refused('a\n{{foo/this}}')).toThrow(expect.objectContaining({ line: 2 }));
  });
});

describe('escapeHtml', () => {
  it.each<[string, unknown[]]>([
    [
      'text',
      [
        '',
        'plain',
        '&',
        '<>',
        '=start',
        'end`',
        'a\'b"c',
        'https://s.example/c?a=1&b=2&c=%3D',
        '&amp; already',
        '<<==>>',
        'zażółć <b>',
        '\u{1F600}&\u{1F600}',
      ],
    ],
    ['other values', [new SafeHtml('<b>kept</b>'), null, undefined, false, true, 0, NaN, 12.5, ['<a>', 'b'], { toString: () => '"x"' }]],
  ])('%s: what Handlebars gives', (_kind, values) => {
    for (const value of values) expect(escapeHtml(value)).toBe(Handlebars.Utils.escapeExpression(value as string));
  });
});

describe('shipped templates: the compiler renders exactly what Handlebars renders', () => {
  it('every template, sample, locale and personalization level, with tracking and a subject override', async () => {
    let compared = 0;
    for (const name of listTemplateNames(templatesDir())) {
      const published = await compileTemplateSource(templatesDir(), name, '2026-11-22T00:00:00Z');
      const ours = compileTemplate(published);
      const reference = compileTemplate(published, handlebarsEngine);
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
            for (const options of [
              { level },
              { level, tracking: trackingFor('camp', 'step', 'b'), subject: 'Hi {{customer.firstName}} & co' },
            ]) {
              expect(ours.render(locale, 'America/New_York', context, options)).toEqual(
                reference.render(locale, 'America/New_York', context, options),
              );
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});

// The oracle must itself be Handlebars: a sanity check that it is not our compiler by accident.
test('the oracle is Handlebars', () => {
  const fn: TemplateFunction = handlebarsEngine('{{#each x}}{{@index}}{{/each}}', helpers);
  expect(fn({ x: [1, 2] }, {})).toBe('01');
  expect(() => handlebarsEngine('{{> p}}', helpers)({}, {})).toThrow(/partial p could not be found/);
});
