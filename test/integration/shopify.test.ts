import { startTestSystem, type TestSystem } from './support/harness';
import { shopify, shopifyCheckout, shopifyConsent, shopifyCustomer, shopifyOrder } from './support/platforms';

/** Shopify's webhooks, signed as Shopify signs them, against the real local system. */
describe('POST /integrations/shopify', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  let next = Math.floor(Math.random() * 1e9);
  const newShopper = () => {
    const id = ++next;
    return { id, email: `shopper-${id}@example.com` };
  };

  async function subscribedShopper() {
    const c = newShopper();
    const now = await app.now();
    expect((await shopify(app, 'customers/create', shopifyCustomer(c.id, c.email, now))).status).toBe(200);
    expect((await shopify(app, 'customers_email_marketing_consent/update', shopifyConsent(c.id, c.email, 'subscribed', now))).status).toBe(
      200,
    );
    return c;
  }

  it('maps customers/create to a profile and keeps only what a feature reads', async () => {
    const c = newShopper();
    const res = await shopify(app, 'customers/create', shopifyCustomer(c.id, c.email, await app.now()));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'accepted', accepted: 1, rejected: [] });
    const profile = await app.system.customers.getProfile(String(c.id));
    expect(profile).toMatchObject({ email: c.email, firstName: 'Bob', lastName: 'Norman', country: 'US' });
    const stored = JSON.stringify(await app.system.customers.listEverything(String(c.id)));
    for (const dropped of ['+16136120707', '555-625-1199', 'Chestnut', 'Likes tea', 'vip', 'Louisville'])
      expect(stored).not.toContain(dropped);
  });

  it('refuses a wrong or missing signature with 401 and changes nothing', async () => {
    const c = newShopper();
    const payload = shopifyCustomer(c.id, c.email, await app.now());
    const wrong = await shopify(app, 'customers/create', payload, { secret: 'not-the-secret' });
    const missing = await shopify(app, 'customers/create', payload, { hmac: null });
    const garbage = await shopify(app, 'customers/redact', { customer: { id: c.id } }, { hmac: 'AAAA' });
    expect([wrong.status, missing.status, garbage.status]).toEqual([401, 401, 401]);
    expect(wrong.body.error.path).toBe('x-shopify-hmac-sha256');
    expect(await app.system.customers.getProfile(String(c.id))).toBeUndefined();
  });

  it('records email marketing consent for every marketing topic, with Shopify’s evidence', async () => {
    const c = await subscribedShopper();
    const profile = await app.system.customers.getProfile(String(c.id));
    for (const topic of ['cart_reminders', 'loyalty', 'recommendations', 'newsletter'] as const)
      expect(profile?.consent[topic]).toMatchObject({ status: 'granted', source: 'shopify' });
    const { consent } = await app.system.customers.listLedger(String(c.id));
    expect(consent).toHaveLength(4);
    expect(consent[0]?.textShown).toContain('opt_in_level confirmed_opt_in');

    const later = new Date(Date.parse(await app.now()) + 1000).toISOString();
    await shopify(app, 'customers_email_marketing_consent/update', shopifyConsent(c.id, c.email, 'unsubscribed', later));
    expect((await app.system.customers.getProfile(String(c.id)))?.consent.cart_reminders?.status).toBe('withdrawn');
  });

  it('a repeated delivery (same X-Shopify-Webhook-Id) has the effect of one', async () => {
    const c = newShopper();
    const now = await app.now();
    await shopify(app, 'customers/create', shopifyCustomer(c.id, c.email, now));
    const consent = shopifyConsent(c.id, c.email, 'subscribed', now);
    const first = await shopify(app, 'customers_email_marketing_consent/update', consent, { webhookId: `wh-${c.id}` });
    const again = await shopify(app, 'customers_email_marketing_consent/update', consent, { webhookId: `wh-${c.id}` });
    expect(first.body.status).toBe('accepted');
    expect(again.body.status).toBe('duplicate');
    // A retry Shopify sends with a new webhook id is still the same change: the event ids are the same.
    await shopify(app, 'customers_email_marketing_consent/update', consent);
    expect((await app.system.customers.listLedger(String(c.id))).consent).toHaveLength(4);
  });

  it('a checkout becomes a cart email whose link is the abandoned_checkout_url, and orders/create cancels another', async () => {
    const c = await subscribedShopper();
    const token = `tok${c.id}`;
    const checkout = shopifyCheckout(token, c.id, c.email, await app.now());
    expect((await shopify(app, 'checkouts/create', checkout)).body).toMatchObject({ status: 'accepted', accepted: 1 });
    await shopify(app, 'checkouts/create', checkout);
    await app.advance('PT61M');
    const mail = await app.inbox(c.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body.text).toContain(`https://demo-shop.myshopify.com/checkouts/${token}/recover?key=abc123`);
    expect(mail[0]!.body.html).toContain('IPod Nano - 8GB');
    expect(mail[0]!.body.html).toContain('Silicone case');

    const buyer = await subscribedShopper();
    const bought = `tok${buyer.id}`;
    await shopify(app, 'checkouts/update', shopifyCheckout(bought, buyer.id, buyer.email, await app.now()));
    await app.advance('PT20M');
    expect(
      (await shopify(app, 'orders/create', shopifyOrder(buyer.id * 10, bought, buyer.id, buyer.email, await app.now()))).body.status,
    ).toBe('accepted');
    await shopify(app, 'orders/paid', shopifyOrder(buyer.id * 10, bought, buyer.id, buyer.email, await app.now()));
    await app.advance('PT2H');
    expect(await app.inbox(buyer.email)).toHaveLength(0);
    const [job] = await app.system.customers.listJobs(String(buyer.id));
    expect(job).toMatchObject({ status: 'cancelled', reason: 'cancelled', reasonDetail: 'order.placed' });
  });

  it('a completed checkout ends its reminder', async () => {
    const c = await subscribedShopper();
    const token = `done${c.id}`;
    await shopify(app, 'checkouts/create', shopifyCheckout(token, c.id, c.email, await app.now()));
    const later = new Date(Date.parse(await app.now()) + 60_000).toISOString();
    await shopify(app, 'checkouts/update', shopifyCheckout(token, c.id, c.email, later, { completed_at: later }));
    await app.advance('PT2H');
    expect(await app.inbox(c.email)).toHaveLength(0);
  });

  it('ignores unknown topics with 200 and counts them; refuses a bad item with plain errors, without its values', async () => {
    const unknown = await shopify(app, 'products/update', { id: 1, title: 'x' });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({ status: 'ignored', ignored: { 'topic not used by tactful': 1 } });

    const c = newShopper();
    const bad = await shopify(app, 'customers/create', {
      ...shopifyCustomer(c.id, c.email, await app.now()),
      first_name: null,
      email: 'not-an-address',
    });
    expect(bad.status).toBe(200);
    expect(bad.body.status).toBe('refused');
    expect(bad.body.rejected[0].errors).toEqual(
      expect.arrayContaining([
        { path: 'first_name', message: 'is required' },
        { path: 'email', message: 'must be an email address' },
      ]),
    );

    const { body } = await app.request('GET', '/admin/api/deliveries?status=rejected&source=shopify', undefined, {
      authorization: `Bearer ${app.system.adminKey}`,
    });
    const refused = body.deliveries.find((d: any) => d.rejected[0]?.ref === `customer ${c.id}`);
    expect(refused).toMatchObject({
      source: 'shopify',
      sender: 'shopify:demo-shop.myshopify.com',
      topic: 'customers/create',
      status: 'refused',
    });
    expect(JSON.stringify(refused)).not.toContain('not-an-address');
  });

  it('customers/redact erases the customer; customers/data_request is recorded in the audit log', async () => {
    const c = await subscribedShopper();
    const request = await shopify(app, 'customers/data_request', {
      shop_id: 954889,
      shop_domain: 'demo-shop.myshopify.com',
      orders_requested: [299938],
      customer: { id: c.id, email: c.email, phone: '555-625-1199' },
      data_request: { id: 9999 },
    });
    expect(request.status).toBe(200);
    const day = (await app.now()).slice(0, 10);
    const audit = await app.system.customers.auditTrail(day);
    expect(audit).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'data_request', customerId: String(c.id), via: 'shopify' })]),
    );

    const redact = await shopify(app, 'customers/redact', {
      shop_id: 954889,
      shop_domain: 'demo-shop.myshopify.com',
      customer: { id: c.id, email: c.email, phone: '555-625-1199' },
      orders_to_redact: [29, 30],
    });
    expect(redact.status).toBe(200);
    expect(await app.system.customers.getProfile(String(c.id))).toBeUndefined();
    expect(
      (await app.system.customers.auditTrail(day)).some(
        (a) => a['action'] === 'erase' && a['customerId'] === String(c.id) && a['via'] === 'shopify',
      ),
    ).toBe(true);
  });
});

describe('Shopify shop/redact', () => {
  it('erases every customer of the shop', async () => {
    const app = await startTestSystem();
    try {
      const now = await app.now();
      await shopify(app, 'customers/create', shopifyCustomer(71, 'a71@example.com', now));
      await shopify(app, 'customers/create', shopifyCustomer(72, 'a72@example.com', now));
      expect((await shopify(app, 'shop/redact', { shop_id: 954889, shop_domain: 'demo-shop.myshopify.com' })).status).toBe(200);
      expect(await app.system.customers.getProfile('71')).toBeUndefined();
      expect(await app.system.customers.getProfile('72')).toBeUndefined();
    } finally {
      await app.stop();
    }
  });
});
