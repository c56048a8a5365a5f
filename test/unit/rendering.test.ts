import { isHttpUrl, trackingFor, withTracking } from '../../functions/domain/rendering/links';
import { escapeHtml } from '../../functions/domain/rendering/helpers';
import { compileTemplate } from '../../functions/domain/rendering/precompile';
import { candidateContext, MissingDataError, pickDeclared } from '../../functions/domain/rendering/context';
import type { CompiledTemplate } from '../../functions/domain/rendering/renderer';
import type { PublishedTemplate } from '../../functions/domain/rendering/publishedTemplate';
import type { Cart, Profile } from '../../functions/domain/customers/profile';
import { compileTemplateSource, listTemplateNames, templatesDir } from '../../functions/publishing/templateSource';
import { SUPPORTED_LOCALES, type Locale } from '../../functions/domain/events/events';

const links = { unsubscribe: 'https://t.example/u/TOKEN', preferences: 'https://t.example/preferences/TOKEN' };
const shop = { name: 'Demo & Co', postalAddress: 'Main St 1' };

function facts(locale: Locale, qtys: number[], firstName = 'Ada') {
  const profile: Profile = { customerId: 'c1', email: 'ada@example.com', firstName, locale, consent: {}, updatedAt: '' };
  const cart: Cart = {
    customerId: 'c1',
    cartKey: 'k',
    items: qtys.map((qty, i) => ({ sku: `s${i}`, name: `Item ${i}`, price: 10, currency: 'PLN', qty })),
    cartUrl: 'https://shop.example.com/cart',
    updatedAt: '2026-11-21T10:00:00Z',
  };
  return {
    profile,
    cart,
    consent: { status: 'granted' as const, at: '2026-10-03T10:00:00Z', source: 'checkout', policyVersion: '1' },
    links,
    shop,
  };
}

describe('templates shipped in templates/', () => {
  const published = new Map<string, PublishedTemplate>();
  const compiled = new Map<string, CompiledTemplate>();
  beforeAll(async () => {
    for (const name of listTemplateNames(templatesDir())) {
      const template = await compileTemplateSource(templatesDir(), name, '2026-11-22T00:00:00Z');
      published.set(name, template);
      compiled.set(name, compileTemplate(template));
    }
  });

  const render = (locale: Locale, qtys: number[], firstName?: string) => {
    const template = compiled.get('abandoned-cart')!;
    const { context, fieldsUsed } = pickDeclared(candidateContext(facts(locale, qtys, firstName)), template.fields);
    return { ...template.render(locale, 'Europe/Warsaw', context), fieldsUsed };
  };

  it('compile once at publish time into HTML that no longer holds MJML, only Handlebars', () => {
    const template = published.get('abandoned-cart')!;
    expect(template.html).not.toMatch(/<mj-/);
    expect(template.html).toContain('{{#each cart.items}}');
    expect(template.html).not.toContain('fonts.googleapis.com');
    expect(template.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it.each(SUPPORTED_LOCALES)('render in %s with a subject, HTML and a plain-text part', (locale) => {
    const email = render(locale, [2]);
    expect(email.subject).toContain('Ada');
    expect(email.html).toContain(`lang="${locale}"`);
    expect(email.html).toContain('Item 0');
    expect(email.text).toContain('https://shop.example.com/cart');
    expect(email.text).toContain(links.unsubscribe);
    expect(email.text).not.toMatch(/&amp;|<[a-z]/i);
    expect(Buffer.byteLength(email.html)).toBeLessThan(102 * 1024);
  });

  it.each([
    ['pl', 1, 'czeka 1 produkt.'],
    ['pl', 2, 'czekają 2 produkty.'],
    ['pl', 5, 'czeka 5 produktów.'],
    ['pl', 22, 'czekają 22 produkty.'],
    ['ru', 1, '1 товар.'],
    ['ru', 2, '2 товара.'],
    ['ru', 5, '5 товаров.'],
    ['ru', 22, '22 товара.'],
    ['en', 1, 'you left 1 item in your cart. It is'],
    ['en', 5, 'you left 5 items in your cart. They are'],
  ] as const)('gets %s plurals right for %i items', (locale, count, phrase) => {
    expect(render(locale, [count]).text).toContain(phrase);
  });

  it('formats money for the recipient’s locale', () => {
    expect(render('pl', [3]).text).toMatch(/30,00\s?zł/);
    expect(render('en', [3]).text).toMatch(/PLN\s30\.00/);
  });

  it('escapes a script injected into a first name', () => {
    const email = render('en', [1], '<script>alert(1)</script>');
    expect(email.html).not.toContain('<script>alert(1)</script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('passes only declared fields to rendering and lists them', () => {
    const { fieldsUsed } = render('en', [1]);
    expect(fieldsUsed.sort()).toEqual([
      'cart.itemCount',
      'cart.items',
      'cart.updatedAt',
      'cart.url',
      'consent.grantedAt',
      'customer.firstName',
    ]);
    const { context } = pickDeclared(candidateContext(facts('en', [1])), {
      'customer.firstName': { type: 'string', level: 'basic', required: true },
    });
    expect(context).toEqual({ customer: { firstName: 'Ada' }, links, shop, step: {} });
  });

  it('refuses to render without a required value (never "Hi ,")', () => {
    const template = compiled.get('abandoned-cart')!;
    const candidate = candidateContext({ ...facts('en', [1]), profile: { ...facts('en', [1]).profile, firstName: undefined } });
    expect(() => pickDeclared(candidate, template.fields)).toThrow(MissingDataError);
  });
});

describe('template helpers', () => {
  const template = (html: string, fields: PublishedTemplate['fields'] = {}) =>
    compileTemplate({
      name: 'inline',
      version: 'v1',
      html,
      text: '',
      fields,
      publishedAt: '',
      locales: { en: { subject: 'S', preheader: '', strings: {} } },
    });

  it('adds the campaign’s tracking parameters to shop links, keeps a marketer’s own, and emits only http(s)', () => {
    const source = '<a href="{{link a}}">x</a> <a href="{{link b}}">y</a> <a href="{{link c}}">z</a> <a href="{{link d}}">w</a>';
    const t = compileTemplate({
      name: 'inline',
      version: 'v1',
      html: source,
      text: '{{link a}} {{link d}}',
      fields: {},
      publishedAt: '',
      locales: { en: { subject: 'S', preheader: '', strings: {} } },
    });
    const { html, text } = t.render(
      'en',
      'UTC',
      {
        a: 'https://shop.example.com/cart?id=1',
        b: 'https://shop.example.com/?utm_source=spring',
        c: 'javascript:alert(1)',
        d: 'https://shop.example.com/cart/7',
      },
      { tracking: { utm_source: 'tactful', utm_campaign: 'cart' } },
    );
    expect(html).toContain('href="https://shop.example.com/cart?id&#x3D;1&amp;utm_source&#x3D;tactful&amp;utm_campaign&#x3D;cart"');
    expect(html).toContain('href="https://shop.example.com/?utm_source&#x3D;spring&amp;utm_campaign&#x3D;cart"');
    expect(html).toContain('<a href="">z</a>');
    expect(html).toContain('href="https://shop.example.com/cart/7?utm_source&#x3D;tactful&amp;utm_campaign&#x3D;cart"');
    expect(text).toBe(
      'https://shop.example.com/cart?id=1&utm_source=tactful&utm_campaign=cart https://shop.example.com/cart/7?utm_source=tactful&utm_campaign=cart\n',
    );
  });

  it('a tracked link is text wherever it goes: inside concat, as a picture, in a triple-stash, in another link, in a condition', () => {
    const t = template(
      '<a href="{{concat (link u) "#top"}}">a</a>|{{image (link u) alt="p"}}|{{{link u}}}|{{link (link u)}}|{{#if (link u)}}yes{{/if}}' +
        '{{#if (link v)}}no{{/if}}|{{link w}}|{{link u}}',
    );
    const u = "https://shop.example.com/it's=(1)&x";
    const { html } = t.render(
      'en',
      'UTC',
      { u, v: 'javascript:x', w: 'https://shop.example.com/p/1' },
      { tracking: { utm_source: 'tactful' } },
    );
    const tracked = `${u}?utm_source=tactful`;
    expect(html.split('|')).toEqual([
      `<a href="${escapeHtml(tracked)}#top">a</a>`,
      expect.stringMatching(new RegExp(`^<img src="${escapeHtml(tracked).replace(/[?()]/g, '\\$&')}" alt="p" `)),
      tracked,
      escapeHtml(tracked),
      'yes',
      'https://shop.example.com/p/1?utm_source&#x3D;tactful',
      escapeHtml(tracked),
    ]);
  });

  it('an unknown time zone fails only a template that shows a date', () => {
    expect(template('Hi {{name}}').render('en', 'Mars/Olympus', { name: 'Ada' }).html).toBe('Hi Ada');
    expect(() => template('{{date d}}').render('en', 'Mars/Olympus', { d: '2026-11-21T10:00:00Z' })).toThrow(
      /Invalid time zone|Mars\/Olympus/,
    );
  });

  it('a tracked link has no fields of its own to iterate or look up, as a string has none', () => {
    const t = template('{{#each (link u)}}x{{else}}none{{/each}}|{{#with (link u)}}[{{url}}{{query}}]{{/with}}|{{lookup (link u) "url"}}');
    expect(t.render('en', 'UTC', { u: 'https://shop.example.com/p/1' }, { tracking: { utm_source: 'tactful' } }).html).toBe('none|[]|');
  });

  it('shows nothing a prototype gained at run time: Handlebars reads own properties only', () => {
    const t = template('Hi {{name}}{{injected}}{{items.injected}}{{items.0.injected}}');
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    (Array.prototype as unknown as Record<string, unknown>)['injected'] = 'x';
    (Object.prototype as unknown as Record<string, unknown>)['injected'] = 'y';
    try {
      expect(t.render('en', 'UTC', { name: 'Ada', items: [{}] }).html).toBe('Hi Ada');
    } finally {
      delete (Array.prototype as unknown as Record<string, unknown>)['injected'];
      delete (Object.prototype as unknown as Record<string, unknown>)['injected'];
      error.mockRestore();
    }
    expect(t.render('en', 'UTC', { name: 'Ada', injected: '!' }).html).toBe('Hi Ada!');
  });

  it('drops a url field that is not http(s) before rendering', () => {
    const candidate = candidateContext({
      ...facts('en', [1]),
      product: { sku: 's', name: 'P', price: 1, currency: 'PLN', url: 'data:text/html,hi' },
    });
    const { context } = pickDeclared(candidate, { 'product.url': { type: 'url', level: 'basic', required: false } });
    expect(context).not.toHaveProperty('product');
  });

  it('shows an image, or its alt text when the picture is missing or unsafe', () => {
    const t = template('{{image a alt=name}}|{{image b alt=name}}');
    const { html } = t.render('en', 'UTC', { a: 'https://cdn.example.com/a.jpg', b: 'javascript:x', name: 'Mug "Big"' });
    const [shown, fallback] = html.split('|');
    expect(shown).toMatch(/^<img src="https:\/\/cdn.example.com\/a.jpg" alt="Mug &quot;Big&quot;" width="64" height="64"/);
    expect(fallback).toMatch(/^<span [^>]+>Mug &quot;Big&quot;<\/span>$/);
  });

  it('renders a block that needs level full only at full, and its fallback below', () => {
    const t = template('{{#requireLevel "full"}}picked for you{{else}}bestsellers{{/requireLevel}}');
    expect(t.render('en', 'UTC', {}, { level: 'full' }).html).toBe('picked for you');
    expect(t.render('en', 'UTC', {}, { level: 'basic' }).html).toBe('bestsellers');
    expect(t.render('en', 'UTC', {}).html).toBe('bestsellers');
    expect(() => template('{{#requireLevel "ful"}}x{{/requireLevel}}').render('en', 'UTC', {}, { level: 'full' })).toThrow(
      /unknown level "ful"/,
    );
  });

  it('lets a string read the root context wherever it stands: at the root, in if, in each and its else', () => {
    const html =
      '{{t "hi"}}|{{#if flag}}{{t "hi"}}{{/if}}|{{#each items}}{{t "hi"}} {{name}};{{else}}{{t "hi"}}{{/each}}|{{#if flag}}{{else each ' +
      'items}}{{t "hi"}}{{/if}}';
    const t = compileTemplate({
      name: 'inline',
      version: 'v1',
      html,
      text: '',
      fields: {},
      publishedAt: '',
      locales: { en: { subject: 'S', preheader: '', strings: { hi: 'Hi {{name}}' } } },
    });
    expect(t.render('en', 'UTC', { name: 'Ada', flag: true, items: [{ name: 'Mug' }, { name: 'Cup' }] }).html).toBe(
      'Hi Ada|Hi Ada|Hi Ada Mug;Hi Ada Cup;|',
    );
    expect(t.render('en', 'UTC', { name: 'Ada', flag: false, items: [{ name: 'Mug' }] }).html).toBe('Hi Ada||Hi Ada Mug;|Hi Ada');
    expect(t.render('en', 'UTC', { name: 'Ada', items: [] }).html).toBe('Hi Ada||Hi Ada|');
  });

  it("a computed string key falls back, and a string reads the root and the call's parameters, not fallback=", () => {
    const html =
      '{{t (concat "offer_" tier) fallback="offer_default"}}|{{t (concat "offer_" tier) n=count fallback="offer_default"}}|{{t "count" ' +
      'n=2}}';
    const strings = {
      offer_gold: '<b>Gold</b> {{name}} {{n}}{{fallback}}',
      offer_default: 'Default {{name}} {{n}}{{fallback}}',
      count: '{{n}} of {{name}}',
    };
    const t = compileTemplate({
      name: 'inline',
      version: 'v1',
      html,
      text: '',
      fields: {},
      publishedAt: '',
      locales: { en: { subject: 'S', preheader: '', strings } },
    });
    expect(t.render('en', 'UTC', { name: 'A&B', tier: 'gold', count: 3 }).html).toBe(
      '<b>Gold</b> A&amp;B |<b>Gold</b> A&amp;B 3|2 of A&amp;B',
    );
    expect(t.render('en', 'UTC', { name: 'Ada', tier: 'tin', count: 1 }).html).toBe('Default Ada |Default Ada 1|2 of Ada');
    expect(() =>
      compileTemplate({
        name: 'inline',
        version: 'v1',
        html: '{{t (concat "x" tier)}}',
        text: '',
        fields: {},
        publishedAt: '',
        locales: { en: { subject: 'S', preheader: '', strings } },
      }).render('en', 'UTC', { tier: 'y' }),
    ).toThrow(/unknown string "xy"/);
  });

  it('tidies plain text and subjects: one blank line at most, trimmed, the text ending in one newline', () => {
    const text = '\n {{a}}\n\n{{b}}\n\n\n{{c}}\n\n\n\n\nend\n\n';
    const t = compileTemplate({
      name: 'inline',
      version: 'v1',
      html: '',
      text,
      fields: {},
      publishedAt: '',
      locales: { en: { subject: ' Hi\t{{a}}  \n{{b}} ', preheader: '', strings: {} } },
    });
    expect(t.render('en', 'UTC', { a: 'A', b: '', c: 'C' })).toMatchObject({ subject: 'Hi A', text: 'A\n\nC\n\nend\n' });
    expect(t.render('en', 'UTC', { a: 'A', b: 'B', c: 'C' })).toMatchObject({ subject: 'Hi A B', text: 'A\n\nB\n\nC\n\nend\n' });
    const three = compileTemplate({
      name: 'inline',
      version: 'v1',
      html: '',
      text: '{{a}}\n\n\n{{c}}',
      fields: {},
      publishedAt: '',
      locales: { en: { subject: 'S', preheader: '', strings: {} } },
    });
    expect(three.render('en', 'UTC', { a: 'A', c: 'C' }).text).toBe('A\n\nC\n');
    const spaced = compileTemplate({
      name: 'inline',
      version: 'v1',
      html: '',
      text: '',
      fields: {},
      publishedAt: '',
      locales: { en: { subject: ' {{a}}{{b}} ', preheader: '', strings: {} } },
    });
    expect([' ', '\u00a0', '\n', '\t\t'].map((b) => spaced.render('en', 'UTC', { a: 'Hi', b: `${b}Ada` }).subject)).toEqual([
      'Hi Ada',
      'Hi Ada',
      'Hi Ada',
      'Hi Ada',
    ]);
  });

  it('shows the same amount and date in the HTML and the text, and each email its own', () => {
    const t = compileTemplate({
      name: 'inline',
      version: 'v1',
      html: '{{money a "EUR"}} {{date d}}',
      text: '{{money a "EUR"}} {{date d}} {{money b "EUR"}}',
      fields: {},
      publishedAt: '',
      locales: { en: { subject: 'S', preheader: '', strings: {} } },
    });
    const one = t.render('en', 'UTC', { a: 12.5, b: 3, d: '2026-11-21T10:00:00Z' });
    const two = t.render('en', 'UTC', { a: 7, b: 12.5, d: '2026-11-22T10:00:00Z' });
    expect([one.html, one.text]).toEqual(['€12.50 November 21, 2026', '€12.50 November 21, 2026 €3.00\n']);
    expect([two.html, two.text]).toEqual(['€7.00 November 22, 2026', '€7.00 November 22, 2026 €12.50\n']);
  });

  it('says in the footer what the cart reminder used: how many items, when, and when consent was given', () => {
    const tpl = compileTemplate(publishedFor('abandoned-cart'));
    const { context } = pickDeclared(candidateContext(facts('en', [2])), tpl.fields);
    expect(tpl.render('en', 'Europe/Warsaw', context).text).toContain(
      'you left 2 items in your cart at Demo & Co on November 21, 2026 and agreed to cart reminders on October 3, 2026.',
    );
  });
});

let publishedCache: Map<string, PublishedTemplate> | undefined;
beforeAll(async () => {
  publishedCache = new Map();
  for (const name of listTemplateNames(templatesDir()))
    publishedCache.set(name, await compileTemplateSource(templatesDir(), name, '2026-11-22T00:00:00Z'));
});
function publishedFor(name: string): PublishedTemplate {
  return publishedCache!.get(name)!;
}

describe('links', () => {
  const tracking = trackingFor('spring sale', 'step-1', 'b');
  // What the URL parser gives: the reference for every shortcut withTracking takes.
  const parsed = (url: string) => {
    const u = new URL(url);
    for (const [key, value] of Object.entries(tracking)) if (!u.searchParams.has(key)) u.searchParams.set(key, value);
    return u.toString();
  };
  it.each([
    'https://shop.example.com/cart/123',
    'https://shop.example.com/p/linen-shirt.jpg',
    'https://shop.example.com/',
    'https://shop.example.com',
    'https://Shop.Example.com/a',
    'https://shop.example.com/a/./b/../c',
    'https://shop.example.com/.well-known/x',
    'https://shop.example.com/a b"c<d>`{}|^',
    'https://shop.example.com/a?x=1&y=a%20b',
    'https://shop.example.com/a?utm_source=newsletter',
    'https://shop.example.com/a#frag',
    'https://shop.example.com/%zz/%41',
    'http://shop.example.com/%2e/x',
    'https://shop.example.com/x/%2E%2e/y',
    "https://shop.example.com/it's+(1),;=:@!$&*~_-",
    'https://xn--mnchen-3ya.de/x',
    'https://shop.example.com:8443/a',
    'http://127.0.0.1/a',
  ])('withTracking(%s) is what the URL parser gives, read twice', (url) => {
    expect(withTracking(url, tracking)).toBe(parsed(url));
    expect(withTracking(url, tracking)).toBe(parsed(url));
  });

  it('keeps a rebuilt link per tracking: the same link under another campaign gets its own parameters', () => {
    const url = 'https://shop.example.com/a?x=1';
    const other = trackingFor('winter', 'step-2');
    expect([withTracking(url, tracking), withTracking(url, other), withTracking(url, tracking)]).toEqual([
      parsed(url),
      `${url}&utm_source=tactful&utm_medium=email&utm_campaign=winter&utm_content=step-2`,
      parsed(url),
    ]);
  });

  it.each([
    ['https://shop.example.com/a', true],
    ['http://a.b.co/x?y#z', true],
    ['https://xn--a.com', false],
    ['https://1.2.3.999/', false],
    ['https://a.com:99999/', false],
    ['HTTPS://A.COM/x', true],
    ['javascript:alert(1)', false],
    ['data:text/html,x', false],
    ['//shop.example.com/a', false],
    ['https://', false],
    [' https://shop.example.com/a', true],
  ])('isHttpUrl(%s) is %s, as the URL parser says', (url, expected) => {
    expect(isHttpUrl(url)).toBe(expected);
  });
});
