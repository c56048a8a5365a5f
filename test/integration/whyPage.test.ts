import { issueToken } from '../../functions/domain/consent/unsubscribeToken';
import { whyScope } from '../../functions/domain/consent/whyLink';
import { contrastRatio, readableOnWhite } from '../../functions/domain/rendering/brand';
import { customerUpserted, remindedCustomer, startTestSystem, type StoredEmail, type TestSystem } from './support/harness';

/** "Why did I get this?": every marketing email links a page of what tactful used for that one email. */
describe('/why/TOKEN', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  const whyLink = (email: StoredEmail): string => /href="([^"]*\/why\/[^"]+)"/.exec(email.body.html!)![1]!;
  const plain = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
      .replace(/\s+/g, ' ');

  it.each([
    [
      'en',
      'Why you got this email',
      'Abandoned cart series',
      'Email 1 of 3 in this series',
      (day: string) => `You left 3 items in your cart on ${day}.`,
      'Your first name',
      'You agreed to cart reminders on',
      'at checkout in the shop (privacy notice of January 2026)',
      'Tracking was off',
    ],
    [
      'pl',
      'Dlaczego dostajesz tę wiadomość',
      'Abandoned cart series',
      'Wiadomość 1 z 3 w tej serii',
      (day: string) => `${day} zostawiono w Twoim koszyku 3 produkty.`,
      'Twoje imię',
      'Zgoda na przypomnienia o koszyku:',
      'przy składaniu zamówienia w sklepie (wersja zasad prywatności: styczeń 2026)',
      'Śledzenie było wyłączone',
    ],
    [
      'ru',
      'Почему вы получили это письмо',
      'Abandoned cart series',
      'Письмо 1 из 3 в этой серии',
      (day: string) => `${day} вы оставили в корзине 3 товара.`,
      'Ваше имя',
      'Согласие на напоминания о корзине:',
      'при оформлении заказа в магазине (редакция политики конфиденциальности: январь 2026 г.)',
      'Отслеживание было выключено',
    ],
  ] as const)(
    'for a cart email in %s: the campaign, the cart date, the fields used and the consent date',
    async (locale, title, campaign, step, cart, field, consent, how, tracking) => {
      const firstName = { en: 'Ada', pl: 'Anna', ru: 'Иван' }[locale];
      const cartDay = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Warsaw' }).format(
        new Date(await app.now()),
      );
      const { c, email } = await remindedCustomer(app, { locale, firstName });
      const response = await fetch(whyLink(email));
      expect(response.status).toBe(200);
      // The preference center's headers: no scripts, no framing, nothing cached, no referrer.
      expect(response.headers.get('content-security-policy')).toMatch(
        /^default-src 'none'; style-src 'sha256-[^']+'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/,
      );
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      const html = await response.text();
      expect(html).toContain(`<html lang="${locale}">`);
      expect(html).not.toMatch(/<script/i);
      const text = plain(html);
      for (const part of [title, campaign, step, field, firstName, consent, how, tracking]) expect(text).toContain(part);
      expect(text).toContain(cart(cartDay));
      // The consent date is the day the customer agreed, in their zone.
      expect(text).toContain(`${consent} ${cartDay}`);
      // The fields this email used, as the log entry lists them, each with a caption-ed table row.
      expect(html).toMatch(/<table><caption>[^<]+<\/caption><thead><tr><th scope="col">/);
      expect(html).toContain('<th scope="row">');
      // Links to change the level and tracking, and to unsubscribe: the email's own tokens.
      const unsubscribe = /href="([^"]*\/u\/[^"]+)"/.exec(email.body.html!)![1]!;
      expect(html).toContain(`href="${new URL(unsubscribe).pathname}"`);
      expect(html).toMatch(/href="\/preferences\/[^"]+#personalization"/);
      expect(html).toMatch(/href="\/preferences\/[^"]+#tracking"/);
      // The shop's name, and its support address.
      expect(text).toContain('Demo Shop');
      expect(html).toContain('mailto:help@demo.tactful.test');
      // The email's header is the shop's: its name in its colour, darkened until it reads on white.
      const brand = readableOnWhite('#2f9e6e');
      expect(brand).not.toBe('#2f9e6e');
      expect(contrastRatio(brand, '#ffffff')).toBeGreaterThanOrEqual(4.5);
      expect(email.body.html).toContain(`<span style="color:${brand}">Demo Shop</span>`);
      expect(html).toContain(`h1{font-size:1.5rem;color:${brand}}`);
      expect(c.id).toBeTruthy();
    },
  );

  it('a forged, re-signed or other link token gets the same plain 404 page', async () => {
    const { c, email } = await remindedCustomer(app);
    const link = whyLink(email);
    const notFound = await (await fetch(`${app.url}/preferences/not-a-token`)).text();
    const [payload, signature] = link.slice(link.lastIndexOf('/') + 1).split('.') as [string, string];
    const forged = `${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`;
    const wrongKey = issueToken(
      { customerId: c.id, scope: whyScope(new Date().toISOString(), 'abandoned-cart#cart-1'), issuedAt: Math.floor(Date.now() / 1000) },
      Buffer.alloc(32, 7),
    );
    const unsubscribe = /href="[^"]*\/u\/([^"]+)"/.exec(email.body.html!)![1]!;
    for (const token of [forged, wrongKey, unsubscribe, 'x']) {
      const response = await fetch(`${app.url}/why/${token}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe(notFound);
    }
    // And a /why token opens no preference center and unsubscribes no one.
    const whyToken = link.slice(link.lastIndexOf('/') + 1);
    expect((await fetch(`${app.url}/preferences/${whyToken}`)).status).toBe(404);
    const oneClick = await fetch(`${app.url}/u/${whyToken}`, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(oneClick.status).toBe(404);
    expect((await app.system.customers.getProfile(c.id))?.consent.cart_reminders?.status).toBe('granted');
  });

  it("after the customer's address changed, the old email's page shows none of their data", async () => {
    const { c, email } = await remindedCustomer(app, { firstName: 'Grace' });
    await app.postEvents([customerUpserted({ ...c, email: `new-${c.email}` }, await app.now(), 'Grace')]);
    const response = await fetch(whyLink(email));
    expect(response.status).toBe(403);
    const text = plain(await response.text());
    expect(text).toContain('no longer on this account');
    for (const personal of ['Grace', c.email, 'Blue mug', 'Abandoned cart series']) expect(text).not.toContain(personal);
  });

  it('after an erasure the page says only that the data was erased', async () => {
    const { c, email } = await remindedCustomer(app, { locale: 'pl', firstName: 'Zofia' });
    const erased = await app.request('POST', `/admin/api/customers/${c.id}/erase`, undefined, {
      authorization: `Bearer ${app.system.adminKey}`,
    });
    expect(erased.status).toBe(200);
    const response = await fetch(whyLink(email), { headers: { 'accept-language': 'pl' } });
    expect(response.status).toBe(200);
    const text = plain(await response.text());
    expect(text).toContain('Twoje dane zostały usunięte');
    for (const personal of ['Zofia', c.email, 'Blue mug', 'Abandoned cart series', 'przypomnienia o koszyku'])
      expect(text).not.toContain(personal);
  });
});
