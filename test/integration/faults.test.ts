import { SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { classifySesError, type Mailer } from '../../functions/adapters/ses/mailer';
import { cartUpdated, customerWithConsent, startTestSystem, type TestSystem, seededRandom } from './support/harness';

/** Services fail; tactful loses nothing it accepted and sends each email once. */

describe('an SES outage', () => {
  let app: TestSystem;
  let sesDown = false;
  const outage = (inner: Mailer): Mailer => ({
    send: async (email) => {
      if (sesDown)
        throw classifySesError(
          new SESv2ServiceException({ name: 'ServiceUnavailable', $fault: 'server', $metadata: {}, message: 'unavailable' }),
        );
      return inner.send(email);
    },
  });
  beforeAll(async () => {
    app = await startTestSystem({ wrapMailer: outage, sendQueue: { maxReceiveCount: 3, retryDelayMs: () => 5 } });
  });
  afterAll(() => app.stop());

  it('resumes after the outage and sends every due email exactly once, even those whose messages were dead-lettered', async () => {
    const customers = await Promise.all(Array.from({ length: 6 }, () => customerWithConsent(app)));
    await app.postEvents(customers.map((c) => cartUpdated(c, new Date().toISOString())));
    sesDown = true;
    await app.advance('PT1H');
    for (const c of customers) expect(await app.inbox(c.email)).toHaveLength(0);
    expect(app.system.sendQueue.deadLetters.length).toBeGreaterThanOrEqual(6);
    for (const c of customers) expect((await app.system.customers.listJobs(c.id))[0]?.status).toBe('queued');

    sesDown = false;
    await app.advance('PT5M');
    for (const c of customers) expect(await app.inbox(c.email)).toHaveLength(0); // still leased
    await app.advance('PT6M'); // the lease ends: the sweep hands them over again
    for (const c of customers) expect(await app.inbox(c.email)).toHaveLength(1);
    await app.advance('PT2H');
    for (const c of customers) expect(await app.inbox(c.email)).toHaveLength(1);
  });
});

describe('DynamoDB failing a share of requests', () => {
  let app: TestSystem;
  let failing = false;
  let injected = 0;
  const random = seededRandom(7);
  beforeAll(async () => {
    app = await startTestSystem({
      sendQueue: { maxReceiveCount: 100, retryDelayMs: () => 5, concurrency: 8 },
      onDocumentClient: (client) =>
        // Where DynamoDB would answer it: inside the SDK's retry (finalizeRequest, after the retry middleware),
        // which is tactful's retry policy for transient failures (adapters/awsClients.ts).
        client.middlewareStack.add(
          (next) => async (args) => {
            if (failing && random() < 0.15) {
              injected++;
              throw Object.assign(new Error('Throughput exceeds the current capacity (injected)'), {
                name: 'ProvisionedThroughputExceededException',
                $fault: 'client',
              });
            }
            return next(args);
          },
          { step: 'finalizeRequest', priority: 'low', name: 'tactfulFaultInjection' },
        ),
    });
  });
  afterAll(() => app.stop());

  it('never half-applies: each email once, a sent record for every email, a cap slot for every send and no other', async () => {
    const customers = await Promise.all(Array.from({ length: 20 }, () => customerWithConsent(app)));
    failing = true;
    // Every event is either accepted and applied, or refused with 503 and resent, as a shop would.
    for (const c of customers) {
      const event = cartUpdated(c, await app.now());
      let res = await app.postEvents([event]);
      for (let tries = 0; res.status === 503 && tries < 5; tries++) res = await app.postEvents([event]);
      expect(res.status).toBe(202);
    }
    // The clock advances themselves must get through: retry them as an operator would.
    const advance = async (by: string) => {
      for (let i = 0; ; i++) {
        try {
          return await app.advance(by);
        } catch (error) {
          if (i >= 5) throw error;
        }
      }
    };
    await advance('PT1H');
    await advance('PT11M'); // anything whose lease ran out goes round again
    failing = false;
    await app.advance('PT11M');
    expect(injected).toBeGreaterThan(10);
    // The test's own reads use the same client: they come after the failures stop.

    for (const c of customers) {
      const emails = await app.inbox(c.email);
      const sent = (await app.system.customers.listLog(c.id)).filter((e) => e.outcome === 'sent');
      const caps = await app.system.jobs.getCaps(c.id);
      const [job] = await app.system.customers.listJobs(c.id);
      if (emails.length !== 1 || sent.length !== 1)
        console.log(JSON.stringify({ job, log: await app.system.customers.listLog(c.id), caps }));
      expect(emails).toHaveLength(1);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.messageId).toBe(emails[0]!.messageId);
      expect(caps.slots).toHaveLength(1);
      expect(job).toMatchObject({ status: 'pending', stepId: 'reminder-2' }); // the series moves on
    }
  });
});
