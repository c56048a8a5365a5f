import type { SQSEvent } from 'aws-lambda';
import { makeFeedbackHandler } from '../../functions/handlers/feedbackHandler';
import type { FeedbackDeps } from '../../functions/usecases/sesFeedback';
import {
  bounceWithDsn,
  bounceWithoutDsn,
  click,
  complaint,
  delivery,
  legacyBounce,
  open,
  snsEnvelope,
  sqsEventOf,
  type Addressed,
} from '../fixtures/sesNotifications';
import {
  cartUpdated,
  consentGranted,
  customerUpserted,
  customerWithConsent,
  remindedCustomer,
  startTestSystem,
  type TestSystem,
} from './support/harness';

/**
 * SES feedback as it reaches the feedback function on AWS: SES → SNS → SQS → the handler, here wired to
 * the local stores. A bounce or complaint is a customer's (or a mailbox's) "no": it must never be lost.
 */
describe('SES feedback through the queue', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  const handlerWith = (deps: Partial<FeedbackDeps> = {}) => makeFeedbackHandler({ ...app.system.feedbackDeps, ...deps });
  const run = (bodies: unknown[], deps?: Partial<FeedbackDeps>) => handlerWith(deps)(sqsEventOf(bodies) as unknown as SQSEvent);
  const tagsOf = (customerId: string) => ({
    campaign: ['abandoned-cart'],
    step: ['reminder-1'],
    variant: ['default'],
    customer: [Buffer.from(customerId).toString('base64url')],
  });

  async function sentTo() {
    const { c, email } = await remindedCustomer(app);
    return { c, mail: { messageId: email.messageId, to: c.email, tags: tagsOf(c.id) } satisfies Addressed };
  }

  it.each([
    ['a bounce with a DSN', bounceWithDsn, 'hard-bounce'],
    ['a bounce without a DSN', bounceWithoutDsn, 'hard-bounce'],
    ['a complaint', complaint, 'complaint'],
  ])('%s in its SNS envelope suppresses the customer', async (_, notification, reason) => {
    const { c, mail } = await sentTo();
    expect(await run([snsEnvelope(notification(mail))])).toEqual({ batchItemFailures: [] });
    expect((await app.system.customers.getProfile(c.id))?.suppression).toMatchObject({ reason });
  });

  it('deliveries, opens and clicks in their envelopes are applied without suppressing anyone', async () => {
    const { c, mail } = await sentTo();
    expect(await run([delivery(mail), open(mail), click(mail)].map((n, i) => snsEnvelope(n, `sns-${i}`)))).toEqual({
      batchItemFailures: [],
    });
    expect((await app.system.customers.getProfile(c.id))?.suppression).toBeUndefined();
  });

  it('a legacy notification (notificationType, no tags) suppresses the address, also for whoever gets it later', async () => {
    const later = { id: `later-${Date.now()}`, email: `bounced-${Date.now()}@example.com` };
    expect(await run([snsEnvelope(legacyBounce({ messageId: 'legacy-1', to: later.email.toUpperCase() }))])).toEqual({
      batchItemFailures: [],
    });
    const c = await customerWithConsent(app);
    // The customer's address changes to the bounced one: the suppression comes with it.
    const now = await app.now();
    expect((await app.postEvents([customerUpserted({ ...c, email: later.email }, now)])).body.rejected).toEqual([]);
    expect((await app.system.customers.getProfile(c.id))?.suppression).toMatchObject({
      reason: 'hard-bounce',
      address: later.email,
      blocksTransactional: true,
    });
  });

  it('a record whose store throws is reported as a batch item failure, so SQS retries it; its neighbours apply', async () => {
    const { c, mail } = await sentTo();
    const other = await sentTo();
    const failing: FeedbackDeps['customers'] = Object.create(app.system.customers);
    let calls = 0;
    failing.suppressAddress = async (...args) => {
      if (calls++ === 0) throw new Error('throttled');
      return app.system.customers.suppressAddress(...args);
    };
    const result = await run([snsEnvelope(bounceWithDsn(mail)), snsEnvelope(bounceWithDsn(other.mail))], { customers: failing });
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
    expect((await app.system.customers.getProfile(c.id))?.suppression).toBeUndefined();
    expect((await app.system.customers.getProfile(other.c.id))?.suppression).toMatchObject({ reason: 'hard-bounce' });
    // SQS's redelivery of the failed record applies it.
    expect(await run([snsEnvelope(bounceWithDsn(mail))])).toEqual({ batchItemFailures: [] });
    expect((await app.system.customers.getProfile(c.id))?.suppression).toMatchObject({ reason: 'hard-bounce' });
  });

  it('a record that does not parse is kept for the dead-letter queue, not dropped', async () => {
    const { mail } = await sentTo();
    const result = await run(['not json', snsEnvelope({ eventType: 'Bounce' }), snsEnvelope(delivery(mail))]);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }, { itemIdentifier: 'm-1' }] });
  });
});

describe('suppression by address', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  it('a permanent bounce that names no customer suppresses the address, for a customer created later with it', async () => {
    const address = `gone-${Date.now()}@example.com`;
    const fed = await app.request('POST', '/dev/ses-events', {
      eventType: 'Bounce',
      mail: { messageId: 'untagged-1', destination: [address] },
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: address }] },
    });
    expect(fed.body).toEqual({ results: ['suppressed-address'] });

    const c = { id: `created-${Date.now()}` };
    const now = await app.now();
    const created = { id: `${c.id}-new`, email: address, locale: 'en' };
    expect(
      (await app.postEvents([customerUpserted(created, now), consentGranted(created, now), cartUpdated(created, now)])).body.rejected,
    ).toEqual([]);
    await app.advance('PT1H');
    const [job] = await app.system.customers.listJobs(`${c.id}-new`);
    expect(job).toMatchObject({ status: 'skipped', reason: 'suppressed', reasonDetail: 'hard-bounce' });
    expect(await app.inbox(address)).toHaveLength(0);
  });

  it('a complaint about an address suppresses marketing only', async () => {
    const address = `complainer-${Date.now()}@example.com`;
    await app.request('POST', '/dev/ses-events', {
      eventType: 'Complaint',
      mail: { messageId: 'untagged-2', destination: [address] },
      complaint: { complainedRecipients: [{ emailAddress: address }] },
    });
    const now = await app.now();
    const id = `complainer-${Date.now()}`;
    expect((await app.postEvents([customerUpserted({ id, email: address, locale: 'en' }, now)])).body.rejected).toEqual([]);
    expect((await app.system.customers.getProfile(id))?.suppression).toMatchObject({ reason: 'complaint', blocksTransactional: false });
  });
});
