import { randomUUID } from 'node:crypto';
import { Analytics } from '@segment/analytics-node';
import { startTestSystem, type TestSystem } from './support/harness';
import { post, sign } from './support/platforms';

/** The Segment-compatible tracking API and Segment's Webhooks destination, with the official client. */
describe('Segment and RudderStack', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  const writeKey = () => app.system.integrationEnv.SEGMENT_WRITE_KEY;
  const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  const batch = (messages: unknown[], key = writeKey()) =>
    post(app, '/v1/batch', JSON.stringify({ batch: messages }), { 'content-type': 'application/json', authorization: basic(key) });
  const admin = (path: string) => app.request('GET', path, undefined, { authorization: `Bearer ${app.system.adminKey}` });

  const newUser = () => {
    const id = `seg-${randomUUID().slice(0, 10)}`;
    return { id, email: `${id}@example.com` };
  };

  function identify(u: { id: string; email: string }, at: string, traits: Record<string, unknown> = {}) {
    return {
      type: 'identify',
      messageId: randomUUID(),
      userId: u.id,
      timestamp: at,
      traits: {
        email: u.email,
        firstName: 'Jane',
        lastName: 'Kim',
        phone: '+48 600 100 200',
        birthday: '1990-01-01',
        address: { street: 'Prosta 5', city: 'Warszawa', country: 'PL' },
        email_opt_in: true,
        ...traits,
      },
    };
  }

  it('analytics-node at tactful: identify, Product Added twice, Order Completed for another cart; the reminder has both', async () => {
    const u = newUser();
    const analytics = new Analytics({ writeKey: writeKey(), host: app.url, flushAt: 50, flushInterval: 60_000, maxRetries: 0 });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    const at = new Date(await app.now());
    const cartId = `cart-${u.id}`;
    analytics.identify({
      userId: u.id,
      traits: { email: u.email, firstName: 'Jane', address: { country: 'PL' }, locale: 'pl-PL', email_opt_in: true },
      timestamp: at,
    });
    analytics.track({
      userId: u.id,
      event: 'Product Added',
      properties: { cart_id: cartId, product_id: 'p-1', sku: 'MUG-1', name: 'Kubek', price: 39.9, quantity: 1 },
      timestamp: new Date(at.getTime() + 1000),
    });
    analytics.track({
      userId: u.id,
      event: 'Product Added',
      properties: { cart_id: cartId, product_id: 'p-2', sku: 'TEA-9', name: 'Herbata', price: 12, quantity: 2 },
      timestamp: new Date(at.getTime() + 2000),
    });
    analytics.track({
      userId: u.id,
      event: 'Order Completed',
      properties: {
        order_id: `o-${u.id}`,
        cart_id: 'another-cart',
        total: 20,
        currency: 'EUR',
        products: [{ sku: 'X-1', name: 'Other', price: 20, quantity: 1 }],
      },
      timestamp: new Date(at.getTime() + 3000),
    });
    await analytics.closeAndFlush();
    expect(errors).toEqual([]);

    const [cart] = await app.system.customers.listCarts(u.id);
    // Both added (the trigger applies them concurrently, each built on the cart the other left).
    expect(cart?.items.map((i) => [i.sku, i.qty, i.currency]).sort()).toEqual([
      ['MUG-1', 1, 'EUR'],
      ['TEA-9', 2, 'EUR'],
    ]);
    await app.advance('PT61M');
    const mail = await app.inbox(u.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('Jane, coś czeka w Twoim koszyku');
    expect(mail[0]!.body.html).toContain('Kubek');
    expect(mail[0]!.body.html).toContain('Herbata');
    expect(mail[0]!.body.text).toContain(`https://shop.example.com/cart?id=${cartId}`);
  });

  it('identify keeps only what a feature reads, and email_opt_in is consent with source segment', async () => {
    const u = newUser();
    const res = await batch([identify(u, await app.now())]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, accepted: 5 });
    const profile = await app.system.customers.getProfile(u.id);
    expect(profile).toMatchObject({ email: u.email, firstName: 'Jane', lastName: 'Kim', country: 'PL' });
    expect(profile?.consent.newsletter).toMatchObject({ status: 'granted', source: 'segment' });
    const stored = JSON.stringify(await app.system.customers.listEverything(u.id));
    for (const dropped of ['600 100 200', '1990-01-01', 'Prosta', 'Warszawa']) expect(stored).not.toContain(dropped);

    const withdrawn = {
      type: 'track',
      event: 'Segment Consent Preference Updated',
      messageId: randomUUID(),
      userId: u.id,
      timestamp: new Date(Date.parse(await app.now()) + 1000).toISOString(),
      context: { consent: { categoryPreferences: { email_opt_in: false } } },
    };
    await batch([withdrawn]);
    expect((await app.system.customers.getProfile(u.id))?.consent.cart_reminders?.status).toBe('withdrawn');
  });

  it('refuses a wrong or missing write key with 401 and stores nothing; writeKey in the body works', async () => {
    const u = newUser();
    const message = identify(u, await app.now());
    expect((await batch([message], 'wrong-key')).status).toBe(401);
    expect((await post(app, '/v1/batch', JSON.stringify({ batch: [message] }), { 'content-type': 'application/json' })).status).toBe(401);
    expect(await app.system.customers.getProfile(u.id)).toBeUndefined();
    const inBody = await post(app, '/v1/identify', JSON.stringify({ ...message, type: undefined, writeKey: writeKey() }), {
      'content-type': 'application/json',
    });
    expect(inBody.status).toBe(200);
    expect(await app.system.customers.getProfile(u.id)).toBeDefined();
  });

  it('messageId is the idempotency key: the same batch twice has the effect of one', async () => {
    const u = newUser();
    const at = await app.now();
    const added = {
      type: 'track',
      event: 'Product Added',
      messageId: randomUUID(),
      userId: u.id,
      timestamp: at,
      properties: { cart_id: 'c1', sku: 'MUG-1', name: 'Mug', price: 10, quantity: 1 },
    };
    await batch([identify(u, at), added]);
    await batch([added]);
    const [cart] = await app.system.customers.listCarts(u.id);
    expect(cart?.items).toEqual([expect.objectContaining({ sku: 'MUG-1', qty: 1 })]);
  });

  it('six Product Added of one instant, applied concurrently, never lose each other', async () => {
    const u = newUser();
    const at = await app.now();
    await batch([identify(u, at)]);
    const adds = ['A', 'B', 'C', 'D', 'E', 'F'].map((sku) => ({
      type: 'track',
      event: 'Product Added',
      messageId: randomUUID(),
      userId: u.id,
      timestamp: at,
      properties: { cart_id: 'same', sku, name: sku, price: 1, quantity: 1 },
    }));
    expect((await batch(adds)).body).toMatchObject({ accepted: 6 });
    const [cart] = await app.system.customers.listCarts(u.id);
    expect(cart?.items.map((i) => i.sku).sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
  });

  it('acknowledges page, screen and anonymous messages without storing them; a bad message never drops its neighbours', async () => {
    const u = newUser();
    const at = await app.now();
    const res = await batch([
      { type: 'page', messageId: randomUUID(), userId: u.id, name: 'Home', timestamp: at },
      { type: 'screen', messageId: randomUUID(), userId: u.id, name: 'Home', timestamp: at },
      {
        type: 'track',
        event: 'Product Viewed',
        messageId: randomUUID(),
        anonymousId: 'anon-1',
        timestamp: at,
        properties: { sku: 'A', name: 'A', price: 1 },
      },
      {
        type: 'track',
        event: 'Order Completed',
        messageId: 'bad-order',
        userId: u.id,
        timestamp: at,
        properties: { products: [], currency: 'EUR' },
      },
      identify(u, at),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('partly-refused');
    expect(res.body.ignored).toEqual({
      'page calls are not used by tactful': 1,
      'screen calls are not used by tactful': 1,
      'anonymous (no userId)': 1,
    });
    expect(res.body.rejected).toEqual([
      {
        ref: 'message bad-order',
        errors: expect.arrayContaining([
          { path: 'properties.order_id', message: 'is required' },
          { path: 'properties.total', message: 'is required' },
        ]),
      },
    ]);
    expect(await app.system.customers.getProfile(u.id)).toBeDefined();
    expect((await admin('/admin/api/deliveries?status=rejected&source=segment')).body.deliveries[0]).toMatchObject({
      sender: 'segment-write-key',
      topic: 'batch',
      rejectedCount: 1,
    });
  });

  it('POST /integrations/segment takes one event or an array signed with X-Signature (hex HMAC-SHA1)', async () => {
    const u = newUser();
    const body = JSON.stringify([identify(u, await app.now())]);
    const secret = app.system.integrationEnv.SEGMENT_SHARED_SECRET;
    expect(
      (
        await post(app, '/integrations/segment', body, {
          'content-type': 'application/json',
          'x-signature': sign('sha1', 'wrong', body, 'hex'),
        })
      ).status,
    ).toBe(401);
    expect((await post(app, '/integrations/segment', body, { 'content-type': 'application/json' })).status).toBe(401);
    expect(await app.system.customers.getProfile(u.id)).toBeUndefined();
    const ok = await post(app, '/integrations/segment', body, {
      'content-type': 'application/json',
      'x-signature': sign('sha1', secret, body, 'hex'),
    });
    expect(ok.status).toBe(200);
    expect(await app.system.customers.getProfile(u.id)).toMatchObject({ email: u.email });
  });

  it('named API keys: created once, listed without the key, attributed in deliveries, revoked', async () => {
    const name = `erp-${randomUUID().slice(0, 6)}`;
    const created = await app.request('POST', '/admin/api/keys', { name }, { authorization: `Bearer ${app.system.adminKey}` });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const listed = await admin('/admin/api/keys');
    expect(listed.body.keys).toEqual(expect.arrayContaining([expect.objectContaining({ name })]));
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(JSON.stringify(await app.system.apiKeyStore.list())).not.toContain(key);

    const u = newUser();
    const res = await app.postEvents(
      [
        {
          id: `e-${u.id}`,
          type: 'preferences.changed',
          customerId: u.id,
          occurredAt: await app.now(),
          data: { personalizationLevel: 'loud' },
        },
        { id: `ok-${u.id}`, type: 'preferences.changed', customerId: u.id, occurredAt: await app.now(), data: { frequency: 'weekly' } },
      ],
      { 'x-api-key': key },
    );
    expect(res.status).toBe(202);
    const refused = (await admin('/admin/api/deliveries?status=rejected&source=events')).body.deliveries.find(
      (d: any) => d.sender === name,
    );
    expect(refused).toMatchObject({ source: 'events', status: 'partly-refused', rejected: [{ ref: `event e-${u.id}` }] });
    expect((await batch([identify(u, await app.now())], key)).status).toBe(200);

    expect(
      (await app.request('POST', `/admin/api/keys/${name}/revoke`, undefined, { authorization: `Bearer ${app.system.adminKey}` })).status,
    ).toBe(200);
    expect(
      (
        await app.postEvents(
          [{ id: `x-${u.id}`, type: 'preferences.changed', customerId: u.id, occurredAt: await app.now(), data: { frequency: 'monthly' } }],
          { 'x-api-key': key },
        )
      ).status,
    ).toBe(401);
  });

  it('preferences.changed records the shop’s choice in the preference history, source shop', async () => {
    const u = newUser();
    await batch([identify(u, await app.now())]);
    const res = await app.postEvents([
      {
        id: `p-${u.id}`,
        type: 'preferences.changed',
        customerId: u.id,
        occurredAt: await app.now(),
        data: { personalizationLevel: 'full', frequency: 'weekly' },
      },
    ]);
    expect(res.status).toBe(202);
    expect(await app.system.customers.getProfile(u.id)).toMatchObject({ personalization: 'full', frequency: 'weekly' });
    const { preferences } = await app.system.customers.listLedger(u.id);
    expect(preferences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'personalization', from: 'basic', to: 'full', source: 'shop' }),
        expect.objectContaining({ field: 'frequency', from: 'any', to: 'weekly', source: 'shop' }),
      ]),
    );
  });
});
