import {
  cartUpdated,
  consentGranted,
  customerUpserted,
  newCustomer,
  orderPlaced,
  startTestSystem,
  type TestSystem,
} from './support/harness';

/** The walking skeleton end to end: shop event over HTTP → job in DynamoDB Local → email in the SES store. */
describe('abandoned cart, end to end', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  async function customerWithConsent(locale: 'en' | 'pl' | 'ru' = 'en', firstName = 'Ada') {
    const c = newCustomer(locale);
    const now = await app.now();
    const res = await app.postEvents([customerUpserted(c, now, firstName), consentGranted(c, now)]);
    expect(res.status).toBe(202);
    return c;
  }

  it('sends one personalized reminder an hour after the cart was left, with the unsubscribe headers', async () => {
    const c = await customerWithConsent('en', 'Grace');
    expect((await app.postEvents([cartUpdated(c, await app.now())])).status).toBe(202);

    await app.advance('PT59M');
    expect(await app.inbox(c.email)).toHaveLength(0);

    await app.advance('PT2M');
    const mail = await app.inbox(c.email);
    expect(mail).toHaveLength(1);
    const email = mail[0]!;
    expect(email.destination.to).toEqual([c.email]);
    expect(email.subject).toBe('Grace, you left something in your cart');
    expect(email.body.html).toContain('Blue mug');
    expect(email.body.html).toContain('Green tea');
    expect(email.body.html).toContain('https://cdn.example.com/mug.png');
    expect(email.body.html).toContain('€25.00');
    // The shop's link carries the campaign's tracking parameters (HTML-escaped in the attribute).
    expect(email.body.html).toContain(
      'href="https://shop.example.com/cart?utm_source&#x3D;tactful&amp;utm_medium&#x3D;email&amp;utm_campaign&#x3D;abandoned-cart&amp;utm_content&#x3D;',
    );
    expect(email.body.text).toMatch(
      /https:\/\/shop\.example\.com\/cart\?utm_source=tactful&utm_medium=email&utm_campaign=abandoned-cart&utm_content=\S+/,
    );
    expect(email.body.text).toContain('- Blue mug × 2: €25.00');
    const header = (name: string) => email.headers?.find((h) => h.name === name)?.value;
    expect(header('List-Unsubscribe')).toMatch(new RegExp(`^<${app.url}/u/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}>$`));
    expect(header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    // The token names the customer by id only: no address in the link.
    expect(header('List-Unsubscribe')).not.toContain(c.email);
    expect(Buffer.from(header('List-Unsubscribe')!.split('/u/')[1]!.split('.')[0]!, 'base64url').toString()).not.toContain('@');
  });

  it('writes in the customer’s language, with localized prices and plurals', async () => {
    const pl = await customerWithConsent('pl', 'Zofia');
    const ru = await customerWithConsent('ru', 'Ольга');
    const now = await app.now();
    const items = [{ sku: 'A', name: 'Kubek', price: 39.9, currency: 'PLN', qty: 5 }];
    await app.postEvents([cartUpdated(pl, now, items), cartUpdated(ru, now, [{ ...items[0], currency: 'RUB', qty: 22 }])]);
    await app.advance('PT1H');
    const [plMail] = await app.inbox(pl.email);
    const [ruMail] = await app.inbox(ru.email);
    expect(plMail?.subject).toBe('Zofia, coś czeka w Twoim koszyku');
    expect(plMail?.body.text).toContain('czeka 5 produktów');
    expect(plMail?.body.text).toMatch(/199,50\s?zł/);
    expect(ruMail?.subject).toBe('Ольга, в вашей корзине остались товары');
    expect(ruMail?.body.text).toContain('22 товара');
  });

  it('sends nothing when an order for that cart arrives within the hour', async () => {
    const c = await customerWithConsent();
    await app.postEvents([cartUpdated(c, await app.now(), undefined, 'cart-9')]);
    await app.advance('PT30M');
    await app.postEvents([orderPlaced(c, await app.now(), 'cart-9')]);
    await app.advance('PT2H');
    expect(await app.inbox(c.email)).toHaveLength(0);
    const [job] = await app.system.customers.listJobs(c.id);
    expect(job).toMatchObject({ status: 'cancelled', reason: 'cancelled', reasonDetail: 'order.placed' });
  });

  it('an order without a cart id cancels every pending cart reminder of that customer', async () => {
    const c = await customerWithConsent();
    const now = await app.now();
    await app.postEvents([cartUpdated(c, now, undefined, 'cart-a'), cartUpdated(c, now, undefined, 'cart-b')]);
    await app.postEvents([orderPlaced(c, await app.now())]);
    await app.advance('PT2H');
    expect(await app.inbox(c.email)).toHaveLength(0);
  });

  it('an emptied cart cancels the reminder', async () => {
    const c = await customerWithConsent();
    await app.postEvents([cartUpdated(c, await app.now())]);
    await app.advance('PT10M');
    await app.postEvents([cartUpdated(c, await app.now(), [])]);
    await app.advance('PT2H');
    expect(await app.inbox(c.email)).toHaveLength(0);
  });

  it('sends nothing without cart_reminders consent, and records why', async () => {
    const c = newCustomer();
    const now = await app.now();
    await app.postEvents([customerUpserted(c, now), consentGranted(c, now, 'newsletter'), cartUpdated(c, now)]);
    await app.advance('PT2H');
    expect(await app.inbox(c.email)).toHaveLength(0);
    const [job] = await app.system.customers.listJobs(c.id);
    expect(job).toMatchObject({ status: 'skipped', reason: 'no-consent', reasonDetail: 'cart_reminders' });
  });

  it('checks consent at send time: a withdrawal just before the due time stops the email', async () => {
    const c = await customerWithConsent();
    await app.postEvents([cartUpdated(c, await app.now())]);
    await app.advance('PT59M');
    await app.postEvents([consentGranted(c, await app.now(), 'cart_reminders', 'withdrawn')]);
    await app.advance('PT2M');
    expect(await app.inbox(c.email)).toHaveLength(0);
  });

  it('sends nothing to a customer the shop never described', async () => {
    const c = newCustomer();
    await app.postEvents([cartUpdated(c, await app.now())]);
    await app.advance('PT2H');
    const [job] = await app.system.customers.listJobs(c.id);
    expect(job).toMatchObject({ status: 'skipped', reason: 'missing-data', reasonDetail: 'no-profile' });
  });

  it('a second cart update moves the reminder instead of doubling it', async () => {
    const c = await customerWithConsent();
    await app.postEvents([cartUpdated(c, await app.now())]);
    await app.advance('PT40M');
    await app.postEvents([cartUpdated(c, await app.now(), [{ sku: 'X', name: 'Red scarf', price: 30, currency: 'EUR', qty: 1 }])]);
    await app.advance('PT40M'); // 80 min after the first update, 40 after the second
    expect(await app.inbox(c.email)).toHaveLength(0);
    await app.advance('PT30M');
    const mail = await app.inbox(c.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body.html).toContain('Red scarf');
    expect(mail[0]!.body.html).not.toContain('Blue mug');
  });

  it('keeps the valid events of a batch that holds a bad one', async () => {
    const c = newCustomer();
    const now = await app.now();
    const good = [customerUpserted(c, now), consentGranted(c, now)];
    const bad = { ...cartUpdated(c, now), data: { cartUrl: 'not a url', items: [{ sku: 'A' }] } };
    const res = await app.postEvents([good[0], bad, good[1]]);
    expect(res.status).toBe(202);
    expect(res.body.accepted).toEqual([good[0]!.id, good[1]!.id]);
    expect(res.body.rejected).toHaveLength(1);
    expect(res.body.rejected[0].id).toBe(bad.id);
    const paths = res.body.rejected[0].errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['data.cartUrl', 'data.items[0].name', 'data.items[0].price']));
    const profile = await app.system.customers.getProfile(c.id);
    expect(profile?.email).toBe(c.email);
    expect(profile?.consent.cart_reminders?.status).toBe('granted');
  });

  it('the same event id sent twice yields one email', async () => {
    const c = await customerWithConsent();
    const cart = cartUpdated(c, await app.now());
    expect((await app.postEvents([cart])).status).toBe(202);
    expect((await app.postEvents([cart])).status).toBe(202);
    expect((await app.postEvents([cart, cart])).body.accepted).toEqual([cart.id]);
    await app.advance('PT2H');
    expect(await app.inbox(c.email)).toHaveLength(1);
  });
});

describe('keys', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  it('refuses the dev, admin and ingest endpoints without their keys', async () => {
    const none = { 'x-api-key': '' };
    expect((await app.request('POST', '/events', { events: [] }, none)).status).toBe(401);
    expect((await app.request('GET', '/dev/clock', undefined, none)).status).toBe(401);
    expect((await app.request('POST', '/dev/clock', { advanceBy: 'PT1H' }, { 'x-api-key': 'wrong' })).status).toBe(401);
    expect((await app.request('POST', '/dev/ses-events', { eventType: 'Bounce' }, none)).status).toBe(401);
    expect((await app.request('GET', '/admin/api/audit', undefined, { authorization: `Bearer ${app.system.apiKey}` })).status).toBe(401);
    expect((await app.request('POST', '/admin/api/customers/x/erase')).status).toBe(401);
  });
});
