import { campaignSchema } from '../../functions/domain/journeys/campaign';
import abandonedCart from '../../templates/abandoned-cart/campaign.json';
import {
  cartUpdated,
  consentGranted,
  customerUpserted,
  eventId,
  newCustomer,
  orderPlaced,
  startTestSystem,
  type TestSystem,
} from './support/harness';

/** The shipped campaigns, end to end: right email at the right time, cancelled when it should be. */
describe('shipped campaigns', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  async function customer(topics: string[], tier?: string) {
    const c = newCustomer();
    const now = await app.now();
    const events: unknown[] = [customerUpserted(c, now), ...topics.map((t) => consentGranted(c, now, t))];
    if (tier)
      events.push({ id: eventId('tier'), type: 'loyalty.points_changed', customerId: c.id, occurredAt: now, data: { points: 10, tier } });
    await app.postEvents(events);
    return c;
  }
  const points = async (c: { id: string }, value: number, tier: string) =>
    app.postEvents([
      { id: eventId('pts'), type: 'loyalty.points_changed', customerId: c.id, occurredAt: await app.now(), data: { points: value, tier } },
    ]);

  it('abandoned cart series: 1 h, 24 h and 72 h, the third with an incentive only for the tiers named', async () => {
    const gold = await customer(['cart_reminders'], 'gold');
    const silver = await customer(['cart_reminders'], 'silver');
    const now = await app.now();
    await app.postEvents([cartUpdated(gold, now), cartUpdated(silver, now)]);
    await app.advance('PT1H');
    expect(await app.inbox(gold.email)).toHaveLength(1);
    await app.advance('PT23H');
    expect(await app.inbox(gold.email)).toHaveLength(2);
    await app.advance('PT47H');
    expect(await app.inbox(gold.email)).toHaveLength(2);
    await app.advance('PT1H');
    const goldMail = await app.inbox(gold.email);
    const silverMail = await app.inbox(silver.email);
    expect(goldMail).toHaveLength(3);
    expect(silverMail).toHaveLength(3);
    expect(goldMail[2]!.body.text).toContain('10% off with the code COMEBACK10');
    expect(silverMail[2]!.body.text).not.toContain('COMEBACK10');
    expect(goldMail[0]!.body.text).not.toContain('COMEBACK10');
    expect((await app.system.customers.listJobs(gold.id)).find((j) => j.campaignId === 'abandoned-cart')?.status).toBe('sent');
  });

  it('abandoned cart series stops at an order placed between steps', async () => {
    const c = await customer(['cart_reminders']);
    await app.postEvents([cartUpdated(c, await app.now())]);
    await app.advance('PT2H');
    await app.postEvents([orderPlaced(c, await app.now(), 'cart-1')]);
    await app.advance('P4D');
    expect(await app.inbox(c.email)).toHaveLength(1);
  });

  it('browse abandonment: a product viewed twice in a day, only at level full, cancelled by a cart', async () => {
    const view = async (c: { id: string }, sku = 'LAMP-1') =>
      app.postEvents([
        {
          id: eventId('view'),
          type: 'product.viewed',
          customerId: c.id,
          occurredAt: await app.now(),
          data: { sku, name: 'Desk lamp', price: 49, currency: 'EUR', url: 'https://shop.example.com/lamp', category: 'home' },
        },
      ]);
    const full = async () => {
      const c = await customer(['recommendations', 'cart_reminders']);
      await app.system.customers.updateProfile(c.id, (p) => ({ next: { ...p, personalization: 'full' }, records: [] }));
      return c;
    };
    const curious = await full();
    const basic = await customer(['recommendations']);
    const buyer = await full();
    for (const c of [curious, basic, buyer]) {
      await view(c);
      await app.advance('PT2H');
      await view(c);
    }
    await app.postEvents([cartUpdated(buyer, await app.now())]);
    await app.advance('PT4H');
    const mail = await app.inbox(curious.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('Ada, still thinking about Desk lamp?');
    expect(mail[0]!.body.text).toContain('- Desk lamp: €49.00');
    expect(await app.inbox(basic.email)).toHaveLength(0);
    expect((await app.system.customers.listJobs(basic.id)).some((j) => j.campaignId === 'browse-abandonment')).toBe(false);
    expect((await app.system.customers.listJobs(buyer.id)).find((j) => j.campaignId === 'browse-abandonment')).toMatchObject({
      status: 'cancelled',
    });
  });

  it('win-back: 90 days after the last order, moved back by every new order', async () => {
    const c = await customer(['newsletter']);
    await app.postEvents([orderPlaced(c, await app.now())]);
    await app.advance('P60D');
    await app.postEvents([orderPlaced(c, await app.now())]);
    await app.advance('P89D');
    expect(await app.inbox(c.email)).toHaveLength(0);
    await app.advance('P2D');
    const mail = await app.inbox(c.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('Ada, it has been a while');
  });

  it('loyalty tier upgrade: congratulations with the new tier’s offer, once per tier, never for joining or a downgrade', async () => {
    const c = await customer(['loyalty'], 'bronze');
    for (const [value, tier] of [
      [300, 'silver'],
      [600, 'gold'],
      [700, 'gold'],
      [50, 'silver'],
    ] as const) {
      await points(c, value, tier);
      await app.advance('PT1M');
    }
    const mail = await app.inbox(c.email);
    expect(mail.map((m) => m.body.text!.split('\n')[2])).toEqual(['Welcome to silver!', 'Welcome to gold!']);
    expect(mail[1]!.body.text).toContain('Gold members get free shipping and 10% off every order.');
  });

  it('loyalty tier upgrade re-checks at send time: a tier lost before the email goes out is not congratulated', async () => {
    const c = await customer(['loyalty'], 'silver');
    await points(c, 600, 'gold');
    await points(c, 50, 'silver');
    await app.advance('PT1M');
    expect(await app.inbox(c.email)).toHaveLength(0);
    const job = (await app.system.customers.listJobs(c.id)).find((j) => j.campaignId === 'loyalty-tier-upgrade');
    expect(job).toMatchObject({ status: 'skipped', reason: 'cancelled', reasonDetail: 'condition:loyalty.tier' });
  });

  it('loyalty points expiring: a reminder a week before the points expire, moved by newer news', async () => {
    const c = await customer(['loyalty'], 'bronze');
    const now = Date.parse(await app.now());
    const expiry = (days: number) => new Date(now + days * 86_400_000).toISOString();
    await app.postEvents([
      {
        id: eventId('exp'),
        type: 'loyalty.points_changed',
        customerId: c.id,
        occurredAt: new Date(now).toISOString(),
        data: { points: 300, tier: 'bronze', pointsExpireAt: expiry(30) },
      },
    ]);
    await app.postEvents([
      {
        id: eventId('exp'),
        type: 'loyalty.points_changed',
        customerId: c.id,
        occurredAt: new Date(now + 1000).toISOString(),
        data: { points: 350, tier: 'bronze', pointsExpireAt: expiry(40) },
      },
    ]);
    await app.advance('P32D');
    expect(await app.inbox(c.email)).toHaveLength(0);
    await app.advance('P2D');
    const mail = await app.inbox(c.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body.text).toMatch(/350 points expire on \w+ \d+, \d{4}/);
  });

  it('loyalty points threshold: once when crossing 1000 points', async () => {
    const c = await customer(['loyalty'], 'bronze');
    await points(c, 900, 'bronze');
    await points(c, 1200, 'bronze');
    await points(c, 1500, 'bronze');
    await app.advance('PT1M');
    const mail = await app.inbox(c.email);
    expect(mail).toHaveLength(1);
    // Rendered at send time: the balance the customer has now.
    expect(mail[0]!.body.text).toContain('You have 1500 points to spend');
  });
});

describe('experiments and attribution', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  it('counts an order placed within the window for the last email, once per order, with its revenue', async () => {
    const c = newCustomer();
    const now = await app.now();
    await app.postEvents([customerUpserted(c, now), consentGranted(c, now), cartUpdated(c, now)]);
    await app.advance('PT1H');
    const order = orderPlaced(c, await app.now(), 'cart-1');
    await app.postEvents([order]);
    await app.postEvents([{ ...order, id: eventId('order-again') }]);
    const attributions = (await app.system.customers.listEverything(c.id)).filter((i) => i['kind'] === 'attribution');
    expect(attributions).toEqual([
      expect.objectContaining({
        orderId: order.data.orderId,
        campaignId: 'abandoned-cart',
        variant: 'default',
        revenue: 25,
        currency: 'EUR',
        heldOut: false,
      }),
    ]);

    const late = newCustomer();
    await app.postEvents([
      customerUpserted(late, await app.now()),
      consentGranted(late, await app.now()),
      cartUpdated(late, await app.now()),
    ]);
    await app.advance('PT1H');
    await app.postEvents([orderPlaced(late, await app.now(), 'cart-1')]);
    await app.advance('P6D');
    await app.postEvents([orderPlaced(late, await app.now(), 'yet-another')]);
    const lateAttributions = (await app.system.customers.listEverything(late.id)).filter((i) => i['kind'] === 'attribution');
    expect(lateAttributions).toHaveLength(1);
  });

  it('a holdout sends nothing, records held-out, and still counts its conversions for lift', async () => {
    const heldOut = campaignSchema.parse({ ...abandonedCart, id: 'cart-holdout-test', holdout: 1, priority: 10 });
    await app.system.catalogStore.putCampaign(heldOut, await app.now());
    await new Promise((r) => setTimeout(r, 1100));
    const c = newCustomer();
    const now = await app.now();
    await app.postEvents([
      customerUpserted(c, now),
      consentGranted(c, now),
      { ...cartUpdated(c, now), data: { ...cartUpdated(c, now).data, cartId: 'h1' } },
    ]);
    await app.advance('PT1H');
    const log = await app.system.customers.listLog(c.id);
    expect(log.find((e) => e.campaignId === 'cart-holdout-test')).toMatchObject({
      outcome: 'skipped',
      reason: 'held-out',
      variant: 'holdout',
    });
    expect((await app.inbox(c.email)).length).toBe(1); // from the regular campaign only
  });
});

describe('campaign simulation', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  it('counts what would be sent and why not, per variant, with rendered samples, and sends nothing', async () => {
    const withConsent = newCustomer();
    const without = newCustomer();
    const now = await app.now();
    await app.postEvents([customerUpserted(withConsent, now, 'Sim'), consentGranted(withConsent, now), customerUpserted(without, now)]);
    await app.postEvents([cartUpdated(withConsent, now, undefined, 'sim-cart'), cartUpdated(without, now, undefined, 'sim-cart')]);
    const admin = { authorization: `Bearer ${app.system.adminKey}` };
    const all = await app.request('POST', '/admin/api/campaigns/abandoned-cart/simulate', undefined, admin);
    expect(all.status).toBe(200);
    expect(all.body.customers).toBe(2);
    expect(all.body.wouldSend).toBe(1);
    expect(all.body.notSent).toEqual({ 'no-consent': 1 });
    expect(all.body.perVariant).toEqual({ default: { send: 1, notSent: 1 } });
    expect(all.body.samples[0]).toMatchObject({ customerId: withConsent.id, subject: 'Sim, you left something in your cart' });

    const replay = await app.request(
      'POST',
      '/admin/api/campaigns/abandoned-cart/simulate',
      { events: [cartUpdated(withConsent, now, undefined, 'replayed')] },
      admin,
    );
    expect(replay.body).toMatchObject({ customers: 1, wouldSend: 1 });
    expect((await app.request('POST', '/admin/api/campaigns/nope/simulate', undefined, admin)).status).toBe(404);
    expect(await app.inbox(withConsent.email)).toHaveLength(0);
  });
});

describe('post-purchase cross-sell with recommendations', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  const item = (sku: string, name: string, price: number) => ({
    sku,
    name,
    price,
    currency: 'EUR',
    qty: 1,
    url: `https://shop.example.com/${sku}`,
  });
  const order = async (c: { id: string }, items: ReturnType<typeof item>[]) =>
    app.postEvents([
      {
        id: eventId('order'),
        type: 'order.placed',
        customerId: c.id,
        occurredAt: await app.now(),
        data: { orderId: eventId('o'), items, total: items.reduce((s, i) => s + i.price, 0), currency: 'EUR' },
      },
    ]);

  it('three days after an order: items bought together at level full, bestsellers otherwise, each saying why', async () => {
    const now = await app.now();
    // Other shoppers: mugs go with tea; lamps sell best; a scarf from another category.
    for (let i = 0; i < 3; i++) {
      const other = newCustomer();
      await app.postEvents([customerUpserted(other, now)]);
      await order(other, [item('MUG', 'Blue mug', 12), item('TEA', 'Green tea', 7)]);
      await order(other, [item('LAMP', 'Desk lamp', 49)]);
    }
    await app.postEvents([
      {
        id: eventId('view'),
        type: 'product.viewed',
        customerId: 'catalog-only',
        occurredAt: now,
        data: { sku: 'SCARF', name: 'Red scarf', price: 30, currency: 'EUR', category: 'fashion' },
      },
    ]);

    const full = newCustomer();
    const basic = newCustomer();
    for (const c of [full, basic]) await app.postEvents([customerUpserted(c, now, 'Reco'), consentGranted(c, now, 'recommendations')]);
    await app.system.customers.updateProfile(full.id, (p) => ({ next: { ...p, personalization: 'full' }, records: [] }));
    await order(full, [item('MUG', 'Blue mug', 12)]);
    await order(basic, [item('MUG', 'Blue mug', 12)]);
    await app.advance('P3D');

    const [fullMail] = await app.inbox(full.email);
    const [basicMail] = await app.inbox(basic.email);
    expect(fullMail?.subject).toBe('Reco, a few things that go well with your order');
    expect(fullMail!.body.text).toContain('- Green tea: €7.00 (often bought with Blue mug)');
    expect(fullMail!.body.text).not.toContain('- Blue mug');
    expect(basicMail!.body.text).toContain('(a bestseller at our shop)');
    expect(basicMail!.body.text).not.toContain('often bought with');
    expect((fullMail!.body.text!.match(/^- /gm) ?? []).length).toBeGreaterThanOrEqual(2);
  });
});
