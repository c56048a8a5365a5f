import type { FunnelCounts } from '../../functions/domain/results/funnel';
import { encodeCustomerTag } from '../../functions/domain/sending/sesTags';
import { confirmationTags } from '../../functions/domain/sending/sesTags';
import type { Job } from '../../functions/domain/journeys/job';
import { cartUpdated, customerWithConsent, startTestSystem, type TestSystem } from './support/harness';

/**
 * A send whose process died after SES took the email and before the record (kill -9) is not a failure:
 * it is an unknown outcome until SES's own event says the email went, and then it is a send.
 */
describe('sends of unknown outcome, settled by SES', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  const totals = async (): Promise<FunnelCounts> => {
    const report = await app.request('GET', '/admin/api/reports?campaign=abandoned-cart', undefined, {
      authorization: `Bearer ${app.system.adminKey}`,
    });
    expect(report.status).toBe(200);
    return report.body.campaigns[0]?.totals.counts;
  };

  /** A customer whose reminder a process claimed, handed to SES and then died with, before recording it. */
  async function claimedThenCrashed() {
    const c = await customerWithConsent(app);
    await app.postEvents([cartUpdated(c, await app.now())]);
    app.system.clock.advance(3600_000);
    const [job] = await app.system.customers.listJobs(c.id);
    const claimed = await app.system.jobs.claim(job!, app.system.clock.now().toISOString(), undefined);
    if (!('claimed' in claimed)) throw new Error('not claimed');
    return { c, job: claimed.claimed, acceptedAt: app.system.clock.now().toISOString() };
  }

  /** SES's Delivery event for that email, with the tags the send set. */
  const deliveryOf = (job: Job, acceptedAt: string, messageId = `ses-${job.customerId}`) => ({
    eventType: 'Delivery',
    mail: {
      messageId,
      timestamp: acceptedAt,
      destination: [`${job.customerId}@example.com`],
      tags: Object.fromEntries([
        ['campaign', [job.campaignId]],
        ['step', [job.stepId]],
        ['variant', ['default']],
        ['customer', [encodeCustomerTag(job.customerId)]],
        ...confirmationTags(job).map((t) => [t.name, [t.value]]),
      ]),
    },
    delivery: { recipients: [`${job.customerId}@example.com`] },
  });

  it('is counted apart from failures, and becomes sent on SES’s delivery event, in the job, the log and the report', async () => {
    const before = await totals();
    const { c, job, acceptedAt } = await claimedThenCrashed();
    await app.advance('PT20M');
    expect((await app.system.customers.listJobs(c.id))[0]).toMatchObject({ status: 'failed', reasonDetail: 'unknown-outcome' });
    const closed = await totals();
    expect(closed.unknownOutcome - (before?.unknownOutcome ?? 0)).toBe(1);
    expect(closed.failed - (before?.failed ?? 0)).toBe(0);
    expect(closed.sent - (before?.sent ?? 0)).toBe(0);

    expect((await app.request('POST', '/dev/ses-events', deliveryOf(job, acceptedAt))).body).toEqual({ results: ['confirmed'] });
    const [settled] = await app.system.customers.listJobs(c.id);
    // The journey goes on as if the record had been written: the next reminder is pending.
    expect(settled).toMatchObject({ status: 'pending', stepIndex: 1 });
    const log = await app.system.customers.listLog(c.id);
    expect(log.filter((e) => e.outcome === 'sent')).toEqual([
      expect.objectContaining({ stepId: job.stepId, messageId: `ses-${c.id}`, detail: 'confirmed-by-ses', at: acceptedAt }),
    ]);
    const after = await totals();
    expect(after.unknownOutcome - (before?.unknownOutcome ?? 0)).toBe(0);
    expect(after.sent - (before?.sent ?? 0)).toBe(1);
    expect(after.delivered - (before?.delivered ?? 0)).toBe(1);
    expect(after.jobs - (before?.jobs ?? 0)).toBe(1);

    // SES delivers its events at least once: a repeat changes nothing.
    expect((await app.request('POST', '/dev/ses-events', deliveryOf(job, acceptedAt))).body).toEqual({ results: ['ignored'] });
    expect(await totals()).toEqual(after);
    // At most once still: the claimed email was never sent again.
    expect(await app.inbox(c.email)).toHaveLength(0);
  });

  it('a delivery event that arrives while the job is still claimed makes the timed-out claim a send', async () => {
    const before = await totals();
    const { c, job, acceptedAt } = await claimedThenCrashed();
    expect((await app.request('POST', '/dev/ses-events', deliveryOf(job, acceptedAt))).body).toEqual({ results: ['counted'] });
    expect((await app.system.customers.listJobs(c.id))[0]).toMatchObject({ status: 'sending', sesMessageId: `ses-${c.id}` });
    const report = await app.advance('PT20M');
    expect(report).toMatchObject({ sent: 1, failed: {} });
    expect((await app.system.customers.listJobs(c.id))[0]).toMatchObject({ status: 'pending', stepIndex: 1 });
    const after = await totals();
    expect(after.sent - (before?.sent ?? 0)).toBe(1);
    expect(after.unknownOutcome - (before?.unknownOutcome ?? 0)).toBe(0);
    expect(await app.inbox(c.email)).toHaveLength(0);
  });

  it('an event about another send of the same journey settles nothing', async () => {
    const { c, job, acceptedAt } = await claimedThenCrashed();
    await app.advance('PT20M');
    const otherInstance = { ...job, instanceId: 'some-other-event' };
    expect((await app.request('POST', '/dev/ses-events', deliveryOf(otherInstance, acceptedAt))).body).toEqual({ results: ['counted'] });
    expect((await app.system.customers.listJobs(c.id))[0]).toMatchObject({ status: 'failed', reasonDetail: 'unknown-outcome' });
  });
});
