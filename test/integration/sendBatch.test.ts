import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Mailer } from '../../functions/adapters/ses/mailer';
import type { Job } from '../../functions/domain/journeys/job';
import { cartUpdated, consentGranted, customerWithConsent, sendMessageFor, startTestSystem, type TestSystem } from './support/harness';

/**
 * The send function takes a queue batch as a batch (sendJobs): one read, one claim transaction, the
 * emails in parallel, one record transaction. These check that each job keeps its guarantees when the
 * batch's shared requests fail for some of them.
 */

/** A transaction's items, as the stores write them (the document client marshalls them later). */
type TransactItems = { Put?: { Item: Record<string, unknown> } }[];
type Interference = () => Promise<void>;

/** Counts the stores' DynamoDB requests and, once, runs `interfere` just before a matching transaction. */
class DynamoSpy {
  requests = new Map<string, number>();
  /** Per transaction that writes delivery-log entries: how many. */
  logEntriesPerTransaction: number[] = [];
  client?: DynamoDBDocumentClient;
  private pending?: { when: (items: TransactItems) => boolean; interfere: Interference };

  attach(client: DynamoDBDocumentClient): void {
    this.client = client;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const op = String(context.commandName).replace(/Command$/, '');
        this.requests.set(op, (this.requests.get(op) ?? 0) + 1);
        if (op === 'TransactWriteItems') {
          const logEntries = (args.input as { TransactItems: TransactItems }).TransactItems.filter(
            (i) => i.Put?.Item['kind'] === 'deliveryLog',
          ).length;
          if (logEntries > 0) this.logEntriesPerTransaction.push(logEntries);
        }
        const pending = this.pending;
        if (op === 'TransactWriteItems' && pending?.when((args.input as { TransactItems: TransactItems }).TransactItems)) {
          this.pending = undefined;
          await pending.interfere();
        }
        return next(args);
      },
      { step: 'initialize', name: 'sendBatchSpy' },
    );
  }

  /** Before the next transaction that writes more than one job's claim or record. */
  beforeBatch(kind: 'claim' | 'record', interfere: Interference): void {
    const isClaim = (i: TransactItems[number]) => i.Put?.Item['kind'] === 'job' && i.Put.Item['status'] === 'sending';
    const isLog = (i: TransactItems[number]) => i.Put?.Item['kind'] === 'deliveryLog';
    this.pending = { when: (items) => items.filter(kind === 'claim' ? isClaim : isLog).length > 1, interfere };
  }

  reset(): void {
    this.requests.clear();
    this.logEntriesPerTransaction = [];
  }
}

/** Holds the SES call to one address until released: a hung call, as far as the batch can tell. */
class HangingMailer {
  private held?: { to: string; released: Promise<void> };
  /** Every call takes this long: SES slower than the stragglers' wait. */
  delayMs = 0;
  hang(to: string): () => void {
    let release!: () => void;
    this.held = { to, released: new Promise<void>((resolve) => (release = resolve)) };
    return () => {
      this.held = undefined;
      release();
    };
  }
  wrap = (inner: Mailer): Mailer => ({
    send: async (email) => {
      const held = this.held;
      if (held && email.to === held.to) await held.released;
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      return inner.send(email);
    },
  });
}

/** Polls until `check` holds, or fails after `ms`. */
async function eventually(check: () => Promise<boolean>, ms: number): Promise<void> {
  for (const deadline = Date.now() + ms; !(await check());) {
    if (Date.now() > deadline) throw new Error(`not so after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function dueJobsOf(
  app: TestSystem,
  count: number,
  cartsEach = 1,
): Promise<{ customers: Awaited<ReturnType<typeof customerWithConsent>>[]; jobs: Job[] }> {
  const customers = await Promise.all(Array.from({ length: count }, () => customerWithConsent(app)));
  const now = await app.now();
  await app.postEvents(customers.flatMap((c) => Array.from({ length: cartsEach }, (_, i) => cartUpdated(c, now, undefined, `cart-${i}`))));
  const jobs = (await Promise.all(customers.map((c) => app.system.customers.listJobs(c.id)))).flat();
  expect(jobs).toHaveLength(count * cartsEach);
  app.system.clock.advance(3600_000);
  return { customers, jobs };
}

/** Delivers the jobs' messages as one queue batch and waits for it (retries included). */
async function deliverAsOneBatch(app: TestSystem, jobs: Job[]): Promise<void> {
  app.system.sendQueue.send(jobs.map(sendMessageFor));
  await app.system.sendQueue.drain();
}

const sentLog = async (app: TestSystem, customerId: string) =>
  (await app.system.customers.listLog(customerId)).filter((e) => e.outcome === 'sent');

describe('a send batch', () => {
  let app: TestSystem;
  const spy = new DynamoSpy();
  const hanging = new HangingMailer();
  beforeAll(async () => {
    app = await startTestSystem({
      onDocumentClient: (client) => spy.attach(client),
      wrapMailer: hanging.wrap,
      capRules: [{ count: 1, windowMs: 24 * 3600_000, label: 'global:1/PT24H' }],
    });
  });
  afterAll(async () => {
    await app.system.runDueWork();
    await app.stop();
  });

  it('reads, claims and records ten customers with one request each', async () => {
    const { customers, jobs } = await dueJobsOf(app, 10);
    spy.reset();
    await deliverAsOneBatch(app, jobs);
    const requests = new Map(spy.requests);
    for (const c of customers) expect(await app.inbox(c.email)).toHaveLength(1);
    for (const c of customers) expect(await sentLog(app, c.id)).toHaveLength(1);
    // One read, one claim transaction, one record transaction, one results counter update. (Besides:
    // catalog cache refreshes, and, as each email takes the last slot of the day here, a query per job
    // for a higher-priority job waiting for it.)
    expect([requests.get('BatchGetItem'), requests.get('TransactWriteItems'), requests.get('UpdateItem')]).toEqual([1, 2, 1]);
  });

  it('a job claimed elsewhere meanwhile is left to that sender; the rest of the batch is sent once', async () => {
    const { customers, jobs } = await dueJobsOf(app, 4);
    const taken = jobs[1]!;
    spy.beforeBatch('claim', async () => {
      // Another sender claims this job between the batch's read and its claim.
      const result = await app.system.jobs.claim(taken, await app.now(), undefined);
      expect(result).toHaveProperty('claimed');
    });
    await deliverAsOneBatch(app, jobs);
    const emails = await Promise.all(customers.map((c) => app.inbox(c.email)));
    expect(emails.map((e) => e.length)).toEqual([1, 0, 1, 1]);
    const [job] = await app.system.customers.listJobs(taken.customerId);
    expect(job).toMatchObject({ status: 'sending', version: taken.version + 1 }); // as the other sender left it
    for (const c of [customers[0]!, customers[2]!, customers[3]!]) expect(await sentLog(app, c.id)).toHaveLength(1);
  });

  it('a cap taken meanwhile is decided again from a fresh read: capped, while the others are sent', async () => {
    const { customers, jobs } = await dueJobsOf(app, 3);
    const capped = jobs[2]!;
    spy.beforeBatch('claim', async () => {
      // Another send of this customer takes the one slot of the day between the batch's read and its claim.
      const now = await app.now();
      await spy.client!.send(
        new PutCommand({
          TableName: app.system.tables.customers,
          Item: {
            pk: `C#${capped.customerId}`,
            sk: 'CAPS',
            kind: 'caps',
            slots: [{ at: now, campaignId: 'elsewhere', sendKey: 'elsewhere' }],
            rev: 1,
            updatedAt: now,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    });
    await deliverAsOneBatch(app, jobs);
    const emails = await Promise.all(customers.map((c) => app.inbox(c.email)));
    expect(emails.map((e) => e.length)).toEqual([1, 1, 0]);
    const [job] = await app.system.customers.listJobs(capped.customerId);
    expect(job).toMatchObject({ status: 'skipped', reason: 'capped' });
  });

  it('two jobs of one customer in the batch respect the cap: one email, the other capped', async () => {
    const { customers, jobs } = await dueJobsOf(app, 3, 2);
    await deliverAsOneBatch(app, jobs);
    for (const c of customers) {
      expect(await app.inbox(c.email)).toHaveLength(1);
      const own = await app.system.customers.listJobs(c.id);
      expect(own.filter((j) => j.status === 'skipped' && j.reason === 'capped')).toHaveLength(1);
      expect((await app.system.jobs.getCaps(c.id)).slots).toHaveLength(1);
    }
  });

  it('a record that fails its condition leaves the others recorded, and its email is not sent again', async () => {
    const { customers, jobs } = await dueJobsOf(app, 3);
    const changed = jobs[0]!;
    spy.beforeBatch('record', async () => {
      // Something rewrote this claimed job after its email went: its record's version no longer matches.
      const [current] = await app.system.customers.listJobs(changed.customerId);
      await app.system.jobs.recordSent(
        current!,
        { ...current!, version: current!.version + 1, updatedAt: await app.now() },
        {
          customerId: current!.customerId,
          jobId: current!.jobId,
          campaignId: current!.campaignId,
          stepId: current!.stepId,
          instanceId: current!.instanceId,
          outcome: 'deferred',
          at: '2000-01-01T00:00:00.000Z',
          tracking: false,
        },
      );
    });
    await deliverAsOneBatch(app, jobs);
    const emails = await Promise.all(customers.map((c) => app.inbox(c.email)));
    expect(emails.map((e) => e.length)).toEqual([1, 1, 1]);
    expect(await sentLog(app, customers[0]!.id)).toHaveLength(0);
    for (const c of customers.slice(1)) expect(await sentLog(app, c.id)).toHaveLength(1);
  });

  it('a hung SES call holds back only its own record: the emails that went are recorded without it', async () => {
    const { customers, jobs } = await dueJobsOf(app, 3);
    const [hung, ...others] = customers;
    const release = hanging.hang(hung!.email);
    app.system.sendQueue.send(jobs.map(sendMessageFor));
    try {
      await eventually(async () => (await Promise.all(others.map((c) => sentLog(app, c.id)))).every((log) => log.length === 1), 15_000);
      expect(await sentLog(app, hung!.id)).toHaveLength(0);
    } finally {
      release();
    }
    await app.system.sendQueue.drain();
    expect(await sentLog(app, hung!.id)).toHaveLength(1);
    expect(await app.inbox(hung!.email)).toHaveLength(1);
  });

  it('waits for slow SES calls from the first email SES took, not from a job that ended before any claim', async () => {
    const { customers, jobs } = await dueJobsOf(app, 3);
    // The first customer withdraws consent: that job ends at once, before the claims.
    await app.postEvents([consentGranted(customers[0]!, await app.now(), 'cart_reminders', 'withdrawn')]);
    hanging.delayMs = 2500;
    spy.reset();
    try {
      await deliverAsOneBatch(app, jobs);
    } finally {
      hanging.delayMs = 0;
    }
    expect(await sentLog(app, customers[0]!.id)).toHaveLength(0);
    for (const c of customers.slice(1)) expect(await sentLog(app, c.id)).toHaveLength(1);
    // Both emails recorded in one transaction: the wait had not run out while they were with SES.
    expect(spy.logEntriesPerTransaction).toContain(2);
  });
});
