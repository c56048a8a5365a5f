import { SESv2ServiceException } from '@aws-sdk/client-sesv2';
import type { Mailer } from '../../functions/adapters/ses/mailer';
import { classifySesError } from '../../functions/adapters/ses/mailer';
import {
  cartUpdated,
  consentGranted,
  customerUpserted,
  newCustomer,
  sendMessageFor,
  startTestSystem,
  type TestSystem,
} from './support/harness';

/** A mailer that lets SES throttle the first `failures` calls, as SES does past its sending rate. */
function throttleFirst(failures: number) {
  let calls = 0;
  const wrap = (inner: Mailer): Mailer => ({
    async send(email) {
      calls++;
      if (calls <= failures) {
        throw classifySesError(
          new SESv2ServiceException({
            name: 'TooManyRequestsException',
            $fault: 'client',
            $metadata: {},
            message: 'Maximum sending rate exceeded.',
          }),
        );
      }
      return inner.send(email);
    },
  });
  return { wrap, calls: () => calls };
}

describe('one email per trigger, whatever the queue does', () => {
  let app: TestSystem;
  const ses = throttleFirst(3);
  beforeAll(async () => {
    app = await startTestSystem({ wrapMailer: ses.wrap });
  });
  afterAll(() => app.stop());

  it('retries a throttled send until SES takes it, and sends it exactly once', async () => {
    const c = newCustomer();
    const now = await app.now();
    await app.postEvents([customerUpserted(c, now), consentGranted(c, now), cartUpdated(c, now)]);
    await app.advance('PT1H');
    // /dev/clock waits for the queue to drain, retries included.
    expect(ses.calls()).toBe(4);
    expect(await app.inbox(c.email)).toHaveLength(1);
    const [job] = await app.system.customers.listJobs(c.id);
    expect(job).toMatchObject({ status: 'pending', stepId: 'reminder-2' }); // the series moves on
  });

  it('a job delivered three times at once sends one email', async () => {
    const c = newCustomer();
    const now = await app.now();
    await app.postEvents([customerUpserted(c, now), consentGranted(c, now), cartUpdated(c, now)]);
    app.system.clock.advance(3600_000);
    const [job] = await app.system.customers.listJobs(c.id);
    const message = sendMessageFor(job!);
    app.system.sendQueue.send([message, message, message]);
    await app.system.sendQueue.drain();
    await app.system.runDueWork();
    expect(await app.inbox(c.email)).toHaveLength(1);
    expect((await app.system.customers.listLog(c.id)).filter((e) => e.outcome === 'sent')).toHaveLength(1);
  });

  it('the sweep marks what it hands over queued, and a job that moved on stays as it is', async () => {
    const customers = Array.from({ length: 26 }, () => newCustomer());
    const now = await app.now();
    await app.postEvents(customers.flatMap((c) => [customerUpserted(c, now), consentGranted(c, now)]));
    await app.postEvents(customers.map((c) => cartUpdated(c, now)));
    app.system.clock.advance(3600_000);
    const ours = new Set(customers.map((c) => c.id));
    const due = (await app.system.jobs.queryDue(await app.now())).filter((ref) => ours.has(ref.customerId));
    expect(due).toHaveLength(26);
    const moved = { ...due[25]!, version: due[25]!.version + 1 }; // as if it changed after the sweep read it
    const marked = await app.system.jobs.markQueued([...due.slice(0, 25), moved], await app.now());
    expect(marked).toEqual([...Array(25).fill(true), false]);
    const statuses = await Promise.all(due.map(async (ref) => (await app.system.customers.listJobs(ref.customerId))[0]?.status));
    expect(statuses).toEqual([...Array(25).fill('queued'), 'pending']);
    await app.system.runDueWork(); // leave nothing due for whatever runs next
  });
});
