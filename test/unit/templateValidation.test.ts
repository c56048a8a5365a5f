import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUPPORTED_LOCALES } from '../../functions/domain/events/events';
import { listTemplateNames, templatesDir } from '../../functions/publishing/templateSource';
import { validateTemplate, type Problem } from '../../functions/publishing/templateValidation';

const errors = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');

describe('every shipped template', () => {
  it.each(listTemplateNames(templatesDir()))('%s validates and renders every sample in every locale', async (name) => {
    const report = await validateTemplate(templatesDir(), name);
    expect(errors(report.problems)).toEqual([]);
    const samples = Object.keys(report.published?.samples ?? {});
    expect(samples.length).toBeGreaterThan(0);
    for (const sample of samples) {
      expect(
        report.renders
          .filter((r) => r.sample === sample)
          .map((r) => r.locale)
          .sort(),
      ).toEqual([...SUPPORTED_LOCALES].sort());
    }
    for (const render of report.renders) expect(render.htmlBytes).toBeLessThan(102 * 1024);
  });
});

describe('a template with mistakes', () => {
  let dir: string;
  const file = (path: string) => join(dir, 'broken', path);
  const edit = (path: string, change: (text: string) => string) => writeFileSync(file(path), change(readFileSync(file(path), 'utf8')));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tactful-validate-'));
    cpSync(join(templatesDir(), 'abandoned-cart'), join(dir, 'broken'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lineOf = (path: string, needle: string) =>
    readFileSync(file(path), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(needle)) + 1;

  it('fails on an undeclared variable and names its file and line', async () => {
    edit('template.mjml', (t) => t.replace('{{t "intro"}}', '{{t "intro"}} {{customer.email}}'));
    const report = await validateTemplate(dir, 'broken');
    expect(report.ok).toBe(false);
    expect(errors(report.problems)).toContainEqual({
      severity: 'error',
      file: 'template.mjml',
      line: lineOf('template.mjml', '{{customer.email}}'),
      message: expect.stringContaining('undeclared variable "customer.email"'),
    });
  });

  it.each([
    ['__proto__.polluted', 'a dotted path of names'],
    ['customer.constructor', 'constructor and prototype cannot be field names'],
    ['orders.total', 'a field starts with one of customer, cart'],
    ['cart..url', 'a dotted path of names'],
  ])('refuses the field name "%s", naming it', async (path, problem) => {
    edit('template.json', (t) =>
      t.replace('"cart.items": {', `${JSON.stringify(path)}: { "type": "string", "level": "basic" },\n    "cart.items": {`),
    );
    const report = await validateTemplate(dir, 'broken');
    expect(report.ok).toBe(false);
    expect(errors(report.problems).map((p) => `${p.file} ${p.message}`)).toContainEqual(
      expect.stringMatching(new RegExp(`^template.json .*${path.replace(/[.]/g, '\\.')}.*${problem}`)),
    );
  });

  it('follows block params to the data they stand for', async () => {
    // The item's fields are declared through cart.items; the index is no data; an unknown field under the item is.
    edit('template.mjml', (t) =>
      t.replace(
        '{{#each cart.items}}',
        '{{#each cart.items as |item i|}}{{i}}{{item.name}}{{#with item as |it|}}{{it.qty}}{{/with}}{{item.secret.x}}',
      ),
    );
    edit('template.json', (t) =>
      t.replace('"cart.items": {', '"cart.items.secret": { "type": "string", "level": "full" },\n    "cart.items": {'),
    );
    const report = await validateTemplate(dir, 'broken');
    const messages = errors(report.problems).map((p) => p.message);
    expect(messages.filter((m) => /undeclared|never used/.test(m))).toEqual([]);
    edit('template.mjml', (t) => t.replace('{{t "intro"}}', '{{t "intro"}}{{#with customer as |c|}}{{c.firstName}}{{c.email}}{{/with}}'));
    const after = errors((await validateTemplate(dir, 'broken')).problems).map((p) => p.message);
    expect(after.filter((m) => /undeclared|never used/.test(m))).toEqual([expect.stringContaining('undeclared variable "customer.email"')]);
  });

  it('does not take an inherited name for a string', async () => {
    edit('template.mjml', (t) => t.replace('{{t "intro"}}', '{{t "intro"}}{{t "toString"}}'));
    const messages = errors((await validateTemplate(dir, 'broken')).problems).map((p) => `${p.file} ${p.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/^locales\/en\.json missing string "toString"/));
  });

  it('fails on triple-stash of customer data, unknown helpers and a declared field nobody reads', async () => {
    edit('template.mjml', (t) => t.replace('{{t "greeting"}}', '{{{customer.firstName}}} {{shout cart.url}}'));
    edit('template.json', (t) => t.replace('"fields": {', '"fields": {\n    "customer.lastName": { "type": "string", "level": "basic" },'));
    const messages = errors((await validateTemplate(dir, 'broken')).problems).map((p) => `${p.file}:${p.line ?? ''} ${p.message}`);
    const line = lineOf('template.mjml', '{{{customer.firstName}}}');
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^template.mjml:${line} triple-stash on "customer.firstName"`)),
        expect.stringMatching(new RegExp(`^template.mjml:${line} unknown helper "shout"`)),
        expect.stringMatching(/^template.json: "customer.lastName" is declared but never used/),
      ]),
    );
  });

  it('sees customer data going in unescaped through a helper or a string, and a misspelt level', async () => {
    edit('template.mjml', (t) =>
      t.replace('{{t "greeting"}}', '{{{concat customer.firstName "!"}}} {{#requireLevel "ful"}}x{{/requireLevel}}'),
    );
    edit('locales/en.json', (t) => t.replace('"quantity": "Quantity"', '"quantity": "{{{customer.firstName}}}"'));
    const messages = errors((await validateTemplate(dir, 'broken')).problems).map((p) => `${p.file}:${p.line ?? ''} ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^template.mjml:\d+ triple-stash on "customer.firstName"/),
        expect.stringMatching(/^template.mjml:\d+ requireLevel needs one of "none", "basic", "full"/),
        expect.stringMatching(/^locales\/en.json:\d+ triple-stash is not allowed in strings/),
      ]),
    );
  });

  it('reports Handlebars syntax errors with the line inside the locale file, and missing locales and strings', async () => {
    edit('locales/pl.json', (t) => t.replace('"cta": "', '"cta": "{{#if cart.url}}'));
    rmSync(file('locales/ru.json'));
    edit('locales/en.json', (t) => t.replace('"quantity": "Quantity",', '"quantity": "Quantity",\n    "extra": "Extra",'));
    const report = await validateTemplate(dir, 'broken');
    const messages = errors(report.problems).map((p) => `${p.file}:${p.line ?? ''} ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^locales/pl.json:${lineOf('locales/pl.json', '"cta"')} Handlebars: Parse error`)),
        expect.stringMatching(/^locales\/ru.json: missing locale ru/),
        expect.stringMatching(/^locales\/pl.json: missing string "extra" that en.json has/),
      ]),
    );
  });

  it('reports MJML errors with their line', async () => {
    edit('template.mjml', (t) =>
      t.replace('<mj-text>{{t "intro"}}</mj-text>', '<mj-text>{{t "intro"}}</mj-text>\n        <mj-section><mj-bogus /></mj-section>'),
    );
    const report = await validateTemplate(dir, 'broken');
    expect(errors(report.problems)).toContainEqual(
      expect.objectContaining({
        file: 'template.mjml',
        line: lineOf('template.mjml', '<mj-bogus'),
        message: expect.stringMatching(/^MJML: /),
      }),
    );
  });

  it('insists on the footer: why, unsubscribe, preferences and the postal address', async () => {
    edit('template.txt.hbs', (t) => t.replace('{{t "unsubscribe"}}: {{links.unsubscribe}}', ''));
    const messages = errors((await validateTemplate(dir, 'broken')).problems).map((p) => `${p.file} ${p.message}`);
    expect(messages).toContain('template.txt.hbs the footer must show {{links.unsubscribe}}');
  });

  it('refuses deep nesting before parsing, naming the file, the part and the limit', async () => {
    edit('template.txt.hbs', (t) => `${'{{#if 1}}'.repeat(300)}${t}${'{{/if}}'.repeat(300)}`);
    const deep = `{{${'(concat '.repeat(12).slice(1)}"x"${')'.repeat(11)}}}`;
    edit('locales/en.json', (t) => t.replace('"strings": {', `"strings": {\n    "deep": ${JSON.stringify(deep)},`));
    const messages = errors((await validateTemplate(dir, 'broken')).problems).map((p) => `${p.file} ${p.message}`);
    const blocks =
      /^template\.txt\.hbs the text part nests blocks 30\d deep; at most 24 is allowed \(each \{\{else if\}\} counts as one\)$/;
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(blocks)]));
    expect(messages).toContain('locales/en.json string "deep" nests subexpressions 11 deep; at most 8 is allowed');
  });

  it('fails a sample whose render goes over the budget', async () => {
    const loops = `${'{{#each @root.cart.items}}'.repeat(4)}x${'{{/each}}'.repeat(4)}`;
    edit('template.mjml', (t) => t.replace('</mj-body>', `<mj-raw>${loops}</mj-raw></mj-body>`));
    const sample = JSON.parse(readFileSync(file('samples/default.json'), 'utf8'));
    const items = Array.from({ length: 100 }, () => sample.data.cart.items[0]);
    writeFileSync(file('samples/full.json'), JSON.stringify({ ...sample, data: { ...sample.data, cart: { ...sample.data.cart, items } } }));
    const messages = errors((await validateTemplate(dir, 'broken')).problems).map((p) => `${p.file} ${p.message}`);
    const overBudget = /^samples\/full.json en: .*went over its budget of 10,000 loop iterations/;
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(overBudget)]));
  });

  it('insists on the footer link to the email\'s "why did I get this?" page', async () => {
    edit('template.mjml', (t) => t.replace(' · <a href="{{links.why}}" style="color:#52606d">{{t "whyLink"}}</a>', ''));
    const messages = errors((await validateTemplate(dir, 'broken')).problems).map((p) => `${p.file} ${p.message}`);
    expect(messages).toEqual(['template.mjml the footer must show {{links.why}}']);
  });

  it('fails a sample that lacks required data, and one whose HTML Gmail would clip', async () => {
    const sample = JSON.parse(readFileSync(file('samples/default.json'), 'utf8'));
    writeFileSync(file('samples/no-name.json'), JSON.stringify({ ...sample, data: { ...sample.data, customer: {} } }));
    const many = Array.from({ length: 400 }, (_, i) => ({ ...sample.data.cart.items[0], name: `Item number ${i} with a long name` }));
    writeFileSync(
      file('samples/huge.json'),
      JSON.stringify({ ...sample, data: { ...sample.data, cart: { ...sample.data.cart, items: many } } }),
    );
    const messages = errors((await validateTemplate(dir, 'broken')).problems).map((p) => `${p.file} ${p.message}`);
    expect(messages).toContain('samples/no-name.json lacks required data: customer.firstName');
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/^samples\/huge.json en: HTML is \d+ KB; Gmail clips above 102 KB/)]),
    );
  });
});
