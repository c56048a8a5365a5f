import { candidateContext, MissingDataError, pickDeclared } from '../../functions/domain/rendering/context';
import { compileTemplate, type CompiledTemplate } from '../../functions/domain/rendering/renderer';
import type { PublishedTemplate } from '../../functions/domain/rendering/publishedTemplate';
import type { Cart, Profile } from '../../functions/domain/profile';
import { compileTemplateSource, listTemplateNames, templatesDir } from '../../functions/publishing/templateSource';
import { SUPPORTED_LOCALES, type Locale } from '../../functions/domain/events';

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
  return { profile, cart, consent: { status: 'granted' as const, at: '2026-10-03T10:00:00Z', source: 'checkout', policyVersion: '1' }, links, shop };
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
    expect(fieldsUsed.sort()).toEqual(['cart.itemCount', 'cart.items', 'cart.url', 'consent.grantedAt', 'customer.firstName']);
    const { context } = pickDeclared(candidateContext(facts('en', [1])), { 'customer.firstName': { type: 'string', level: 'basic', required: true } });
    expect(context).toEqual({ customer: { firstName: 'Ada' }, links, shop, step: {} });
  });

  it('refuses to render without a required value (never "Hi ,")', () => {
    const template = compiled.get('abandoned-cart')!;
    const candidate = candidateContext({ ...facts('en', [1]), profile: { ...facts('en', [1]).profile, firstName: undefined } });
    expect(() => pickDeclared(candidate, template.fields)).toThrow(MissingDataError);
  });
});
