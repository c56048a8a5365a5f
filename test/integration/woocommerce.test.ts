import { startTestSystem, type TestSystem } from './support/harness';
import { post, woo } from './support/platforms';

/** WooCommerce's webhooks (REST API v3 payloads), signed as WooCommerce signs them. */
describe('POST /integrations/woocommerce', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  let next = Math.floor(Math.random() * 1e8);
  const gmt = (iso: string) => iso.slice(0, 19);

  function customer(id: number, at: string) {
    return {
      id,
      date_created: gmt(at),
      date_created_gmt: gmt(at),
      date_modified: gmt(at),
      date_modified_gmt: gmt(at),
      email: `woo-${id}@example.com`,
      first_name: 'John',
      last_name: 'Doe',
      role: 'customer',
      username: `john.doe.${id}`,
      billing: {
        first_name: 'John',
        last_name: 'Doe',
        company: '',
        address_1: '969 Market',
        city: 'San Francisco',
        state: 'CA',
        postcode: '94103',
        country: 'US',
        email: `woo-${id}@example.com`,
        phone: '(555) 555-5555',
      },
      shipping: { first_name: 'John', last_name: 'Doe', address_1: '969 Market', city: 'San Francisco', country: 'US' },
      is_paying_customer: false,
      avatar_url: 'https://secure.gravatar.com/avatar/8eb1b522f60d11fa897de1dc6351b7e8?s=96',
      meta_data: [],
    };
  }

  function order(id: number, customerId: number, at: string, status = 'processing') {
    return {
      id,
      parent_id: 0,
      number: String(id),
      order_key: 'wc_order_58d2d042d1d',
      created_via: 'checkout',
      version: '9.4.0',
      status,
      currency: 'USD',
      date_created_gmt: gmt(at),
      date_modified_gmt: gmt(at),
      discount_total: '0.00',
      shipping_total: '10.00',
      total: '29.35',
      total_tax: '1.35',
      customer_id: customerId,
      billing: {
        first_name: 'John',
        last_name: 'Doe',
        address_1: '969 Market',
        city: 'San Francisco',
        country: 'US',
        email: `woo-${customerId}@example.com`,
        phone: '(555) 555-5555',
      },
      payment_method: 'bacs',
      customer_ip_address: '203.0.113.9',
      customer_note: 'Leave at the door',
      cart_hash: 'b7f0a4f4b3c1',
      line_items: [
        {
          id: 315,
          name: 'Woo Single #1',
          product_id: 93,
          variation_id: 0,
          quantity: 2,
          tax_class: '',
          subtotal: '6.00',
          total: '6.00',
          sku: 'WOO-1',
          price: 3,
        },
      ],
    };
  }

  it('maps customer.created to a profile and order.created (processing) to an order, dropping addresses and phones', async () => {
    const id = ++next;
    const now = await app.now();
    expect((await woo(app, 'customer.created', customer(id, now))).body).toMatchObject({ status: 'accepted', accepted: 1 });
    expect(await app.system.customers.getProfile(String(id))).toMatchObject({
      email: `woo-${id}@example.com`,
      firstName: 'John',
      lastName: 'Doe',
      country: 'US',
    });
    const res = await woo(app, 'order.created', order(id * 10, id, now));
    expect(res.body).toMatchObject({ status: 'accepted', accepted: 1 });
    const everything = await app.system.customers.listEverything(String(id));
    expect(everything.find((i) => i['kind'] === 'order')).toMatchObject({
      orderId: String(id * 10),
      total: 29.35,
      currency: 'USD',
      items: [{ sku: 'WOO-1', qty: 2, price: 3 }],
    });
    for (const dropped of ['969 Market', '555-5555', '203.0.113.9', 'Leave at the door', 'gravatar'])
      expect(JSON.stringify(everything)).not.toContain(dropped);
  });

  it('acknowledges an unpaid order without storing it', async () => {
    const id = ++next;
    const res = await woo(app, 'order.created', order(id * 10, id, await app.now(), 'pending'));
    expect(res.body).toMatchObject({ status: 'ignored', accepted: 0 });
    expect(await app.system.customers.listEverything(String(id))).toEqual([]);
  });

  it('refuses a wrong or missing signature with 401 and changes nothing', async () => {
    const id = ++next;
    const payload = customer(id, await app.now());
    expect((await woo(app, 'customer.created', payload, { secret: 'wrong' })).status).toBe(401);
    expect((await woo(app, 'customer.created', payload, { signature: null })).status).toBe(401);
    expect(await app.system.customers.getProfile(String(id))).toBeUndefined();
  });

  it('answers the unsigned creation ping with 200 and does nothing', async () => {
    const res = await post(app, '/integrations/woocommerce', 'webhook_id=7', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ping' });
  });

  it('a repeated delivery (same topic, resource id and date_modified_gmt, any delivery id) has the effect of one', async () => {
    const id = ++next;
    const now = await app.now();
    const first = await woo(app, 'customer.updated', customer(id, now), { deliveryId: '1' });
    const again = await woo(app, 'customer.updated', customer(id, now), { deliveryId: '1' });
    expect([first.body.status, again.body.status]).toEqual(['accepted', 'duplicate']);
    const receipts = (await app.system.customers.listEverything(String(id))).filter((i) => i['kind'] === 'eventReceipt');
    expect(receipts).toHaveLength(1);
    const later = new Date(Date.parse(now) + 5000).toISOString();
    expect((await woo(app, 'customer.updated', customer(id, later), { deliveryId: '1' })).body.status).toBe('accepted');
  });
});
