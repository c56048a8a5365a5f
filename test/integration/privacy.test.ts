import { shopify, shopifyCheckout, shopifyCustomer } from './support/platforms';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../functions/local/services';
import { logger } from '../../functions/shared/logger';
import {
  cartUpdated,
  consentGranted,
  customerUpserted,
  eventId,
  newCustomer,
  orderPlaced,
  remindedCustomer,
  runCli,
  startTestSystem,
  type TestSystem,
} from './support/harness';

/** Privacy made provable: export holds everything, erase leaves only what is documented, logs hold no one. */

const admin = (app: TestSystem) => ({ authorization: `Bearer ${app.system.adminKey}` });

async function scanAll(app: TestSystem): Promise<Record<string, unknown>[]> {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: app.system.dynamodbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  );
  const items: Record<string, unknown>[] = [];
  for (const table of Object.values(app.system.tables)) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return items;
}

describe('data rights', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem({ consentModel: { optOutCountries: ['US'] } });
  });
  afterAll(() => app.stop());

  /** A full flow: profile, consent, full personalization, a view, a cart, a reminder, an order, a pending journey. */
  async function fullFlow(firstName: string) {
    const { c, email } = await remindedCustomer(app, { firstName });
    const prefs = /href="([^"]*\/preferences\/[^"]+)"/.exec(email.body.html!)![1]!;
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(prefs)).text())![1]!;
    await fetch(prefs, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `csrf=${csrf}&action=save&personalization=full`,
      redirect: 'manual',
    });
    const now = await app.now();
    await app.postEvents([
      {
        id: eventId('view'),
        type: 'product.viewed',
        customerId: c.id,
        occurredAt: now,
        data: { sku: 'SCARF-1', name: 'Red scarf', price: 30, currency: 'EUR', category: 'accessories' },
      },
      orderPlaced(c, now, 'cart-1'),
      cartUpdated(c, now, undefined, 'cart-pending'),
    ]);
    return { c, email };
  }

  it('exports every kind of record a full flow creates, each kind explained', async () => {
    const { c } = await fullFlow('Adelheid');
    const response = await app.request('GET', `/admin/api/customers/${c.id}/export`, undefined, admin(app));
    expect(response.status).toBe(200);
    const { data } = response.body;
    expect(Object.keys(data).sort()).toEqual([
      'attribution',
      'caps',
      'cart',
      'consent',
      'counted',
      'deliveryLog',
      'eventReceipt',
      'job',
      'order',
      'preference',
      'profile',
      'view',
    ]);
    for (const group of Object.values(data) as { meaning: string }[]) expect(group.meaning.length).toBeGreaterThan(10);
    expect(data.deliveryLog.records[0]).toMatchObject({ outcome: 'sent', fieldsUsed: expect.any(Array) });
    expect(data.view.records[0]).toMatchObject({ sku: 'SCARF-1', deleteAfter: expect.any(String) });
    const audit = await app.request('GET', `/admin/api/audit?day=${(await app.now()).slice(0, 10)}`, undefined, admin(app));
    expect(audit.body.entries).toContainEqual(expect.objectContaining({ action: 'export', customerId: c.id, via: 'admin_api' }));
    expect(JSON.stringify(audit.body)).not.toContain(c.email);
  });

  it('does not keep browsing for customers below "full" personalization', async () => {
    const c = newCustomer();
    const now = await app.now();
    await app.postEvents([
      customerUpserted(c, now),
      {
        id: eventId('view'),
        type: 'product.viewed',
        customerId: c.id,
        occurredAt: now,
        data: { sku: 'A', name: 'A', price: 1, currency: 'EUR' },
      },
    ]);
    const kinds = (await app.system.customers.listEverything(c.id)).map((i) => i['kind']);
    expect(kinds).not.toContain('view');
  });

  it('erases everything but the documented evidence and tombstone; pending jobs never send; erasing again is harmless', async () => {
    const { c } = await fullFlow('Beatrix');
    expect((await app.system.customers.listJobs(c.id)).some((j) => j.status === 'pending')).toBe(true);
    const erased = await app.request('POST', `/admin/api/customers/${c.id}/erase`, undefined, admin(app));
    expect(erased.status).toBe(200);
    // Jobs: the cart series, the pending cart, and the win-back and cross-sell journeys the order started.
    expect(erased.body.removed).toMatchObject({ profile: 1, job: 4, deliveryLog: expect.any(Number), order: 1, view: 1, attribution: 1 });

    const traces = (await scanAll(app)).filter(
      (item) => JSON.stringify(item).includes(c.id) || JSON.stringify(item).includes(c.email) || JSON.stringify(item).includes('Beatrix'),
    );
    const kinds = traces.map((i) => String(i['kind']));
    expect(new Set(kinds)).toEqual(new Set(['consent', 'erasure', 'audit']));
    expect(JSON.stringify(traces)).not.toContain(c.email);
    expect(JSON.stringify(traces)).not.toContain('Beatrix');
    expect((await scanAll(app)).filter((i) => i['kind'] === 'tombstone').length).toBeGreaterThan(0);

    await app.advance('PT3H');
    expect(await app.inbox(c.email)).toHaveLength(1); // the reminder from before the erasure, nothing since
    const again = await app.request('POST', `/admin/api/customers/${c.id}/erase`, undefined, admin(app));
    expect(again.body.removed).toEqual({});
  });

  it('re-importing an erased address, under the same id or another, does not resume mail without new consent', async () => {
    // US is opt-out in this shop: before the erasure, no consent record was needed.
    const c = newCustomer();
    const now = await app.now();
    const us = (id: string) => ({ ...customerUpserted({ ...c, id }, now), data: { ...customerUpserted(c, now).data, country: 'US' } });
    await app.postEvents([us(c.id), cartUpdated(c, now)]);
    await app.advance('PT1H');
    expect(await app.inbox(c.email)).toHaveLength(1);
    await app.request('POST', `/admin/api/customers/${c.id}/erase`, undefined, admin(app));

    const otherId = `${c.id}-again`;
    const later = await app.now();
    await app.postEvents([
      { ...us(c.id), id: eventId('cu'), occurredAt: later },
      { ...us(otherId), id: eventId('cu'), occurredAt: later },
    ]);
    await app.postEvents([cartUpdated({ id: c.id }, later, undefined, 'cart-x'), cartUpdated({ id: otherId }, later, undefined, 'cart-y')]);
    await app.advance('PT2H');
    expect(await app.inbox(c.email)).toHaveLength(1);
    for (const id of [c.id, otherId]) {
      const job = (await app.system.customers.listJobs(id))[0];
      expect(job).toMatchObject({ status: 'skipped', reason: 'no-consent' });
    }

    await app.postEvents([
      consentGranted({ id: otherId }, await app.now()),
      cartUpdated({ id: otherId }, await app.now(), undefined, 'cart-z'),
    ]);
    await app.advance('PT2H');
    expect(await app.inbox(c.email)).toHaveLength(2);
  });

  it('the CLI reads through the admin API', async () => {
    // Asynchronously: the server answering the CLI runs in this very process.
    const result = await runCli(['customers', 'jobs', 'demo-nobody'], { TACTFUL_URL: app.url, TACTFUL_ADMIN_KEY: app.system.adminKey });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ customerId: 'demo-nobody', jobs: [] });
    const refused = await runCli(['customers', 'erase', 'x'], {});
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
  });
});

describe('operation without personal data', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  it('logs a full flow without any email address, name or token', async () => {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const capture = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      lines.push(String(chunk));
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    });
    const errors = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    logger.setLogLevel('DEBUG');
    const secrets: string[] = [];
    try {
      const { c, email } = await remindedCustomer(app, { firstName: 'Ottoline', locale: 'pl' });
      const token = /\/u\/([^>]+)>/.exec(email.headers!.find((h) => h.name === 'List-Unsubscribe')!.value)![1]!;
      secrets.push(c.email, 'Ottoline', token, '+16136120707', '555-625-1199', 'Chestnut', '600 100 200', 'Prosta');
      await fetch(`${app.url}/u/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      await fetch(`${app.url}/u/${token}x`);
      await app.request('POST', '/dev/ses-events', {
        eventType: 'Complaint',
        mail: { messageId: email.messageId, destination: [c.email], tags: { customer: [Buffer.from(c.id).toString('base64url')] } },
        complaint: { complainedRecipients: [{ emailAddress: c.email }] },
      });
      await app.postEvents([{ ...cartUpdated(c, await app.now()), data: { cartUrl: 'nope', items: [] } }]);
      // Platforms' deliveries, valid and refused, carry names, phones and addresses: none reach the logs.
      const now = await app.now();
      await shopify(app, 'customers/create', shopifyCustomer(777001, c.email, now, { first_name: 'Ottoline' }));
      await shopify(app, 'customers/create', shopifyCustomer(777002, `broken ${c.email}`, now, { first_name: 'Ottoline' }));
      await shopify(app, 'checkouts/create', shopifyCheckout('tok-priv', 777001, c.email, now));
      const address = { street: 'Prosta 5', country: 'PL' };
      const traits = { email: `x ${c.email}`, firstName: 'Ottoline', phone: '+48 600 100 200', address };
      const segment = { type: 'identify', messageId: 'priv-1', userId: c.id, timestamp: now, traits };
      const authorization = `Basic ${Buffer.from('dev-write-key:').toString('base64')}`;
      const headers = { 'content-type': 'application/json', authorization };
      await fetch(`${app.url}/v1/batch`, { method: 'POST', headers, body: JSON.stringify({ batch: [segment] }) });
      await app.request('POST', `/admin/api/customers/${c.id}/erase`, undefined, admin(app));
    } finally {
      logger.setLogLevel('CRITICAL');
      capture.mockRestore();
      errors.mockRestore();
    }
    const logged = lines.join('');
    expect(logged).toContain('"service":"tactful"');
    expect(logged.length).toBeGreaterThan(500);
    for (const secret of secrets) expect(logged).not.toContain(secret);
    expect(logged).not.toMatch(/@example\.com/);
  });
});
