import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { classifySesError, type Mailer } from '../../functions/adapters/ses/mailer';
import { campaignSchema } from '../../functions/domain/journeys/campaign';
import abandonedCart from '../../templates/abandoned-cart/campaign.json';
import {
  cartUpdated,
  customerUpserted,
  customerWithConsent,
  newCustomer,
  sendMessageFor,
  startTestSystem,
  type TestSystem,
  seededRandom,
  zoneWhereHourIs,
} from './support/harness';

/** Caps, quiet hours, priorities and exactly-once sending against DynamoDB Local and the SES store. */

describe('frequency caps under concurrency', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem({ sendQueue: { concurrency: 16, batchSize: 2, retryDelayMs: () => 5 } });
  });
  afterAll(() => app.stop());

  it('50 jobs for one customer released at once, cap of 2 → exactly 2 emails, 48 skipped as capped', async () => {
    const c = await customerWithConsent(app);
    const now = await app.now();
    const carts = Array.from({ length: 50 }, (_, i) => cartUpdated(c, now, undefined, `cart-${i}`));
    for (let i = 0; i < carts.length; i += 25) expect((await app.postEvents(carts.slice(i, i + 25))).status).toBe(202);
    expect(await app.system.customers.listJobs(c.id)).toHaveLength(50);

    await app.advance('PT1H');

    expect(await app.inbox(c.email)).toHaveLength(2);
    const jobs = await app.system.customers.listJobs(c.id);
    // The two that went out moved on to the series' second step; the log holds the sends.
    expect(jobs.filter((j) => j.status === 'pending' && j.stepId === 'reminder-2')).toHaveLength(2);
    expect((await app.system.customers.listLog(c.id)).filter((e) => e.outcome === 'sent')).toHaveLength(2);
    const capped = jobs.filter((j) => j.status === 'skipped');
    expect(capped).toHaveLength(48);
    expect(capped.every((j) => j.reason === 'capped' && j.reasonDetail === 'global:2/PT24H')).toBe(true);
    expect((await app.system.jobs.getCaps(c.id)).slots).toHaveLength(2);
  });

  it('records each reason once per job, queryable per customer and per campaign and day', async () => {
    const c = await customerWithConsent(app);
    const now = await app.now();
    await app.postEvents([0, 1, 2].map((i) => cartUpdated(c, now, undefined, `k-${i}`)));
    const { now: after } = await app.advance('PT1H');
    const log = await app.system.customers.listLog(c.id);
    expect(log.map((e) => e.outcome).sort()).toEqual(['sent', 'sent', 'skipped']);
    const campaignLog = await app.system.jobs.campaignLog('abandoned-cart', after.slice(0, 10));
    expect(campaignLog.filter((e) => e.customerId === c.id)).toHaveLength(3);
    expect(campaignLog.find((e) => e.customerId === c.id && e.outcome === 'skipped')).toMatchObject({ reason: 'capped' });
  });
});

describe('exactly once with an unreliable SES and duplicate deliveries', () => {
  let app: TestSystem;
  let calls = 0;
  let failures = 0;
  // A seeded generator: the same share of calls fails on every run.
  const random = seededRandom(42);
  const flaky = (inner: Mailer): Mailer => ({
    async send(email) {
      calls++;
      if (random() < 0.4) {
        failures++;
        const name = failures % 2 ? 'TooManyRequestsException' : 'InternalFailure';
        throw classifySesError(
          new SESv2ServiceException({ name, $fault: 'server', $metadata: {}, message: 'Maximum sending rate exceeded.' }),
        );
      }
      return inner.send(email);
    },
  });
  beforeAll(async () => {
    app = await startTestSystem({ wrapMailer: flaky, sendQueue: { concurrency: 8, maxReceiveCount: 50, retryDelayMs: () => 5 } });
  });
  afterAll(() => app.stop());

  it('every due email goes out exactly once although 40% of SES calls fail and every job is delivered three times', async () => {
    const customers = await Promise.all(Array.from({ length: 20 }, () => customerWithConsent(app)));
    const now = await app.now();
    await app.postEvents(customers.map((c) => cartUpdated(c, now)));
    app.system.clock.advance(3600_000);
    const messages = await Promise.all(
      customers.map(async (c) => {
        const [job] = await app.system.customers.listJobs(c.id);
        return sendMessageFor(job!);
      }),
    );
    app.system.sendQueue.send([...messages, ...messages, ...messages]);
    await app.system.sendQueue.drain();
    await app.system.runDueWork();

    expect(failures).toBeGreaterThan(5);
    for (const c of customers) expect(await app.inbox(c.email)).toHaveLength(1);
    expect(app.system.sendQueue.deadLetters).toHaveLength(0);
    expect(calls).toBe(20 + failures);
  });

  it('a poison message goes to the dead letters without holding up its batch', async () => {
    const c = await customerWithConsent(app);
    await app.postEvents([cartUpdated(c, await app.now())]);
    app.system.clock.advance(3600_000);
    const [job] = await app.system.customers.listJobs(c.id);
    const good = sendMessageFor(job!);
    const before = app.system.sendQueue.deadLetters.length;
    app.system.sendQueue.send(['{"not":"a send message"}', good, 'not json at all']);
    await app.system.sendQueue.drain();
    expect(await app.inbox(c.email)).toHaveLength(1);
    expect(app.system.sendQueue.deadLetters.length - before).toBe(2);
  });
});

describe('a send abandoned mid-way', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  it('is closed as an unknown outcome after the claim timeout and never sent again (at most once)', async () => {
    const c = await customerWithConsent(app);
    await app.postEvents([cartUpdated(c, await app.now())]);
    app.system.clock.advance(3600_000);
    const [job] = await app.system.customers.listJobs(c.id);
    // A process claims the job and dies before calling SES.
    const claimed = await app.system.jobs.claim(job!, app.system.clock.now().toISOString(), undefined);
    expect('claimed' in claimed).toBe(true);
    await app.advance('PT5M');
    expect((await app.system.customers.listJobs(c.id))[0]?.status).toBe('sending');
    await app.advance('PT15M');
    const [closed] = await app.system.customers.listJobs(c.id);
    expect(closed).toMatchObject({ status: 'failed', reasonDetail: 'unknown-outcome' });
    await app.advance('PT1H');
    expect(await app.inbox(c.email)).toHaveLength(0);
  });
});

describe('the last cap slot, raced for', () => {
  let app: TestSystem;
  beforeAll(async () => {
    // One message per batch and many workers: each delivery runs on a worker of its own, at once.
    app = await startTestSystem({ sendQueue: { concurrency: 8, batchSize: 1, retryDelayMs: () => 5 } });
  });
  afterAll(() => app.stop());

  it('two workers racing for the last free slot, each delivered three times: one more email, the other capped', async () => {
    const c = await customerWithConsent(app);
    await app.postEvents([cartUpdated(c, await app.now(), undefined, 'first')]);
    await app.advance('PT1H');
    expect(await app.inbox(c.email)).toHaveLength(1); // one of the two slots (2 a day) is taken

    const now = await app.now();
    await app.postEvents([cartUpdated(c, now, undefined, 'second'), cartUpdated(c, now, undefined, 'third')]);
    app.system.clock.advance(3600_000);
    const due = (await app.system.customers.listJobs(c.id)).filter((j) => j.status === 'pending' && j.stepId === 'reminder-1');
    expect(due).toHaveLength(2);
    const messages = due.map(sendMessageFor);
    app.system.sendQueue.send([...messages, ...messages, ...messages]);
    await app.system.sendQueue.drain();
    await app.system.runDueWork();

    expect(await app.inbox(c.email)).toHaveLength(2);
    const after = await app.system.customers.listJobs(c.id);
    const raced = after.filter((j) => due.some((d) => d.jobId === j.jobId));
    expect(raced.filter((j) => j.status === 'skipped' && j.reason === 'capped')).toHaveLength(1);
    expect((await app.system.jobs.getCaps(c.id)).slots).toHaveLength(2);
    expect((await app.system.customers.listLog(c.id)).filter((e) => e.outcome === 'sent')).toHaveLength(2);
  });
});

describe('quiet hours', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem({ quietHours: { start: '21:00', end: '08:00' } });
  });
  afterAll(() => app.stop());

  it('defers a reminder due at 23:00 local time to the next morning, then sends it', async () => {
    // A fixed-offset zone where the reminder comes due at 23:xx local time, whenever this runs.
    const zone = zoneWhereHourIs(23, new Date(Date.parse(await app.now()) + 3600_000).toISOString());
    const c = await customerWithConsent(app, { timezone: zone });
    await app.postEvents([cartUpdated(c, await app.now())]);

    await app.advance('PT1H');
    expect(await app.inbox(c.email)).toHaveLength(0);
    const [deferred] = await app.system.customers.listJobs(c.id);
    expect(deferred?.status).toBe('pending');
    const local = DateTime.fromISO(deferred!.dueAt, { zone });
    expect(local.hour).toBe(8);
    expect(local.minute).toBeLessThan(20);
    expect((await app.system.customers.listLog(c.id))[0]).toMatchObject({
      outcome: 'deferred',
      reason: 'quiet-hours-deferred',
      deferredTo: deferred!.dueAt,
    });

    await app.advance('PT10H');
    expect(await app.inbox(c.email)).toHaveLength(1);
  });
});

describe('priorities', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem({ capRules: [{ count: 1, windowMs: 24 * 3600_000, label: 'global:1/PT24H' }] });
    const vip = campaignSchema.parse({ ...abandonedCart, id: 'vip-cart', name: 'VIP cart', priority: 95 });
    await app.system.catalogStore.putCampaign(vip, await app.now());
    await new Promise((r) => setTimeout(r, 1100)); // the local catalog cache lives one second
  });
  afterAll(() => app.stop());

  it('gives the last free slot to the higher-priority campaign, whatever order the queue delivers in', async () => {
    for (let i = 0; i < 4; i++) {
      const c = await customerWithConsent(app);
      await app.postEvents([cartUpdated(c, await app.now(), undefined, `cart-${randomUUID().slice(0, 4)}`)]);
      const jobs = await app.system.customers.listJobs(c.id);
      expect(jobs.map((j) => j.campaignId).sort()).toEqual(['abandoned-cart', 'vip-cart']);
      // Deliver the lower-priority job first on purpose.
      app.system.clock.advance(3600_000);
      const low = jobs.find((j) => j.campaignId === 'abandoned-cart')!;
      app.system.sendQueue.send([sendMessageFor(low!)]);
      await app.system.sendQueue.drain();
      await app.system.runDueWork();
      const log = await app.system.customers.listLog(c.id);
      expect(log.filter((e) => e.outcome === 'sent').map((e) => e.campaignId)).toEqual(['vip-cart']);
      expect(log.find((e) => e.campaignId === 'abandoned-cart')).toMatchObject({ outcome: 'skipped', reason: 'capped' });
    }
  });
});

describe('why not sent, through the admin API', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  it('answers per customer and per campaign, and only with the admin key', async () => {
    const c = newCustomer();
    const now = await app.now();
    await app.postEvents([customerUpserted(c, now), cartUpdated(c, now)]);
    const { now: after } = await app.advance('PT1H');
    const admin = { authorization: `Bearer ${app.system.adminKey}` };

    const forCustomer = await app.request('GET', `/admin/api/customers/${c.id}/jobs`, undefined, admin);
    expect(forCustomer.status).toBe(200);
    expect(forCustomer.body.jobs[0]).toMatchObject({ status: 'skipped', reason: 'no-consent' });
    expect(forCustomer.body.counts).toEqual({ 'skipped:no-consent': 1 });

    const forCampaign = await app.request(
      'GET',
      `/admin/api/campaigns/abandoned-cart/log?day=${after.slice(0, 10)}&outcome=skipped`,
      undefined,
      admin,
    );
    expect(forCampaign.status).toBe(200);
    expect(
      forCampaign.body.entries.some((e: { customerId: string; reason: string }) => e.customerId === c.id && e.reason === 'no-consent'),
    ).toBe(true);

    expect((await app.request('GET', `/admin/api/customers/${c.id}/jobs`)).status).toBe(401);
    expect((await app.request('GET', `/admin/api/customers/${c.id}/jobs`, undefined, { authorization: 'Bearer dev-key' })).status).toBe(
      401,
    );
    expect((await app.request('GET', '/admin/api/campaigns/abandoned-cart/log?day=yesterday', undefined, admin)).status).toBe(400);
  });
});
