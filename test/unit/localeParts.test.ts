import { compileTemplate, precompileTemplate } from '../../functions/domain/rendering/precompile';
import type { PublishedTemplate } from '../../functions/domain/rendering/publishedTemplate';
import { renderSample } from '../../functions/domain/rendering/sample';
import { SUPPORTED_LOCALES } from '../../functions/domain/events/events';
import { compileTemplateSource, listTemplateNames, templatesDir } from '../../functions/publishing/templateSource';

/**
 * Each locale's HTML and text are precompiled once more with that locale's strings written in where
 * that renders the same (precompile.ts, precompilePart). Here every email renders byte for byte as it
 * does with the generic parts, which call every string as a partial.
 */

const shop = { name: 'Sample Shop', postalAddress: 'ul. Przykładowa 1, 00-001 Warszawa' };

describe('every shipped template', () => {
  it.each(listTemplateNames(templatesDir()))('%s renders every sample in every locale as with its strings called', async (name) => {
    const published = await compileTemplateSource(templatesDir(), name, '2026-12-02T00:00:00.000Z');
    const specs = precompileTemplate(published);
    // The parts are there, and differ from the generic ones (so the comparison compares something).
    for (const locale of SUPPORTED_LOCALES) expect(specs.parts?.[locale]?.html).not.toBe(specs.html);
    const written = compileTemplate(published);
    const called = compileTemplate(published, []);
    for (const sample of Object.values(published.samples ?? {})) {
      for (const locale of SUPPORTED_LOCALES) {
        expect(renderSample(written, sample, locale, { shop }).email).toEqual(renderSample(called, sample, locale, { shop }).email);
      }
    }
  });
});

const template = (html: string, strings: Record<string, string>, text = html): PublishedTemplate => ({
  name: 'parts',
  version: 'v1',
  html,
  text,
  fields: {},
  publishedAt: '',
  locales: { en: { subject: 'S {{name}}', preheader: '', strings } },
});

const context = {
  name: 'Ada <&>',
  on: true,
  items: [
    { name: 'mug <1>', qty: 2 },
    { name: 'cup', qty: 1 },
  ],
  o: { name: 'inner' },
};

describe('a string written in', () => {
  const strings = {
    plain: 'Quantity & more',
    hello: 'Hi {{name}}, {{plural 2 one="item" other="items"}}',
    nested: '[{{t "hello"}}|{{t "plain"}}]',
    up: 'up: {{../name}}',
    param: 'n={{n}} name={{name}}',
  };
  it.each([
    ['at the root', '{{t "hello"}} {{t "plain"}} {{t "nested"}}'],
    [
      'inside if, unless and requireLevel',
      '{{#if on}}{{t "hello"}}{{else}}{{t "plain"}}{{/if}}{{#unless on}}x{{else}}{{t "hello"}}{{/unless}}' +
        '{{#requireLevel "basic"}}{{t "hello"}}{{/requireLevel}}',
    ],
    [
      'inside each and with, where the context is not the root',
      '{{#each items}}{{t "hello"}}{{t "plain"}}{{name}}{{/each}}{{#with o}}{{t "hello"}}{{/with}}',
    ],
    [
      'with parameters, a computed key, a fallback, and ../',
      '{{t "param" n=1}}{{t key}}{{t "missing" fallback="hello"}}{{#with o}}{{t "up"}}{{/with}}{{t "up"}}{{#if on}}{{t "up"}}{{/if}}',
    ],
    ['in attributes and beside whitespace control', '<a title="{{t "hello"}}">{{~t "plain"~}} </a>\n  {{t "hello"}}\n'],
  ])('%s renders as the string called', (_case, html) => {
    const published = template(html, strings);
    const written = compileTemplate(published);
    const called = compileTemplate(published, []);
    const data = { ...context, key: 'plain' };
    expect(written.render('en', 'UTC', data)).toEqual(called.render('en', 'UTC', data));
  });

  it('is written in at most 64 KB of string source per part: beyond, strings are called', () => {
    const big = 'x'.repeat(8 * 1024);
    const html = '{{t "big"}}'.repeat(20);
    const published = template(html, { big });
    const specs = precompileTemplate(published);
    expect(specs.parts?.en?.html.length).toBeLessThan(20 * big.length);
    expect(compileTemplate(published).render('en', 'UTC', {}).html).toBe(big.repeat(20));
  });
});
