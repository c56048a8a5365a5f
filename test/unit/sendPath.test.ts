/**
 * The send path's batch, through small fakes of its ports (usecases/ports/): which claims a batch makes
 * together and which alone, what a cancelled or failed transaction leads to, and that a hung SES call
 * holds only its own record. The guarantees themselves are tested against DynamoDB Local
 * (test/integration/sendBatch.test.ts, sendingOnce.test.ts, faults.test.ts).
 */
import { EMPTY_CAP_STATE } from '../../functions/domain/pacing/frequencyCap';
import type { Job } from '../../functions/domain/journeys/job';
import type { Cart, Profile } from '../../functions/domain/customers/profile';
import type { CompiledTemplate } from '../../functions/domain/rendering/renderer';
import type { Catalog } from '../../functions/usecases/ports/catalog';
import type { BatchClaimResult, ClaimResult, SendingJobs } from '../../functions/usecases/ports/jobs';
import type { Mailer, OutgoingEmail } from '../../functions/usecases/ports/mailer';
import type { SendMessage } from '../../functions/usecases/ports/queues';
import { sendJobs, type SendJobDeps } from '../../functions/usecases/sending';
import { abandonedCart, at, job } from './fixtures';

const NOW = at(60);

const customer = (n: number) => `c${n}`;
const jobOf = (n: number): Job => job({ customerId: customer(n), jobId: `abandoned-cart#cart-${n}`, journeyKey: `cart-${n}` });
const messageOf = (n: number): SendMessage => {
  const { customerId, jobId, stepId, instanceId } = jobOf(n);
  return { customerId, jobId, stepId, instanceId };
};
const profileOf = (customerId: string): Profile => ({
  customerId,
  email: `${customerId}@example.com`,
  firstName: 'Ada',
  locale: 'en',
  consent: { cart_reminders: { status: 'granted', at: at(-100), source: 'checkout', policyVersion: '1' } },
  updatedAt: at(-100),
});
const cartOf = (customerId: string, cartKey: string): Cart => ({
  customerId,
  cartKey,
  items: [{ sku: 's', name: 'Mug', price: 1, currency: 'EUR', qty: 1 }],
  cartUrl: 'https://shop.example.com/cart',
  updatedAt: at(0),
});

/** The jobs port, in memory: every call is noted; a test scripts what the claims and records answer. */
class FakeJobs implements SendingJobs {
  readonly calls: { method: string; jobIds: string[] }[] = [];
  readonly jobs = new Map<string, Job>();
  claimAllAnswers?: (claims: { job: Job }[]) => Promise<BatchClaimResult[]>;
  claimAnswers: Record<string, ClaimResult[]> = {};
  recordSentAllFails = false;
  recordSentFailsFor = new Set<string>();

  constructor(jobs: Job[]) {
    for (const j of jobs) this.jobs.set(j.jobId, j);
  }
  private note(method: string, jobIds: string[]): void {
    this.calls.push({ method, jobIds });
  }
  called(method: string): string[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.jobIds);
  }
  private facts(customerId: string, jobId: string) {
    const j = this.jobs.get(jobId);
    return { job: j, profile: profileOf(customerId), cart: j && cartOf(customerId, j.journeyKey), caps: EMPTY_CAP_STATE };
  }
  async loadForSend(customerId: string, jobId: string) {
    this.note('loadForSend', [jobId]);
    return this.facts(customerId, jobId);
  }
  async loadForSendAll(requests: { customerId: string; jobId: string }[]) {
    this.note(
      'loadForSendAll',
      requests.map((r) => r.jobId),
    );
    return requests.map((r) => this.facts(r.customerId, r.jobId));
  }
  async getCaps(customerId: string) {
    this.note('getCaps', [customerId]);
    return EMPTY_CAP_STATE;
  }
  private claimed = (j: Job): Job => ({ ...j, status: 'sending', version: j.version + 1, updatedAt: NOW });
  async claim(j: Job): Promise<ClaimResult> {
    this.note('claim', [j.jobId]);
    return this.claimAnswers[j.jobId]?.shift() ?? { claimed: this.claimed(j) };
  }
  async claimAll(claims: { job: Job }[]): Promise<BatchClaimResult[]> {
    this.note(
      'claimAll',
      claims.map((c) => c.job.jobId),
    );
    if (this.claimAllAnswers) return this.claimAllAnswers(claims);
    return claims.map((c) => ({ claimed: this.claimed(c.job) }));
  }
  async releaseClaim(j: Job) {
    this.note('releaseClaim', [j.jobId]);
  }
  async returnSlot() {
    this.note('returnSlot', []);
  }
  async recordSent(claimed: Job) {
    this.note('recordSent', [claimed.jobId]);
    if (this.recordSentFailsFor.has(claimed.jobId)) throw new Error('the record cannot be written');
  }
  async recordSentAll(records: { claimed: Job }[]) {
    this.note(
      'recordSentAll',
      records.map((r) => r.claimed.jobId),
    );
    if (this.recordSentAllFails) throw new Error('TransactionCanceledException');
  }
  async recordNotSent(j: Job) {
    this.note('recordNotSent', [j.jobId]);
    return true;
  }
  async recordConfirmed() {
    return true;
  }
  async defer() {
    return true;
  }
  async hold() {
    return true;
  }
  async higherPriorityDue() {
    return undefined;
  }
  async purchaseAndViewHistory() {
    return { bought: [], viewed: [] };
  }
}

/** A template that renders without reading anything: the send path is what is tested, not the render. */
const template: CompiledTemplate = {
  name: 'abandoned-cart',
  version: 'aaaaaaaaaaaa',
  fields: {},
  render: () => ({ subject: 'Your cart', html: '<p>Your cart</p>', text: 'Your cart' }),
};

const catalog = {
  campaign: async () => abandonedCart,
  paused: async () => false,
  template: async () => template,
} as unknown as Catalog; // only what the send path reads

/** SES, answering at once unless a test holds an address back. */
class FakeMailer implements Mailer {
  readonly sent: string[] = [];
  readonly held = new Map<string, () => void>();
  holdBack = new Set<string>();
  async send(email: OutgoingEmail) {
    if (this.holdBack.has(email.to)) await new Promise<void>((resolve) => this.held.set(email.to, resolve));
    this.sent.push(email.to);
    return { messageId: `m-${email.to}` };
  }
}

function depsWith(jobs: FakeJobs, mailer = new FakeMailer()): SendJobDeps & { mailer: FakeMailer } {
  return {
    jobs,
    catalog,
    mailer,
    clock: { now: () => new Date(NOW) },
    tokenKey: async () => Buffer.alloc(32, 7),
    config: {
      fromAddress: 'shop@example.com',
      publicBaseUrl: 'https://mail.example.com',
      shopName: 'Shop',
      shopPostalAddress: 'Street 1',
      defaultTimeZone: 'UTC',
      capRules: [],
      quietHours: { start: '00:00', end: '00:00' },
      consentModel: { optOutCountries: [] },
    },
  };
}

const outcomes = (settled: PromiseSettledResult<unknown>[]) =>
  settled.map((s) => (s.status === 'fulfilled' ? (s.value as { outcome: string }).outcome : 'rejected'));

describe('a queue batch through the send path (fakes of its ports)', () => {
  it('reads, claims and records a batch with one request each, and sends every email', async () => {
    const jobs = new FakeJobs([1, 2, 3].map(jobOf));
    const deps = depsWith(jobs);
    const settled = await sendJobs([1, 2, 3].map(messageOf), deps);
    expect(outcomes(settled)).toEqual(['sent', 'sent', 'sent']);
    const ids = [1, 2, 3].map((n) => jobOf(n).jobId);
    expect(jobs.called('loadForSendAll')).toEqual([ids]);
    expect(jobs.called('claimAll')).toEqual([ids]);
    expect(jobs.called('recordSentAll')).toEqual([ids]);
    expect(jobs.called('claim')).toEqual([]);
    expect(jobs.called('recordSent')).toEqual([]);
    expect(deps.mailer.sent.sort()).toEqual(['c1@example.com', 'c2@example.com', 'c3@example.com']);
  });

  it('after a cancelled claim: a moved cap is paced again from a fresh read, a bystander claimed again, a moved job left', async () => {
    const jobs = new FakeJobs([1, 2, 3, 4].map(jobOf));
    jobs.claimAllAnswers = async (claims) => [
      { claimed: { ...claims[0]!.job, status: 'sending', version: 2 } },
      { conflict: 'caps' },
      { conflict: 'others' },
      { conflict: 'job' },
    ];
    const deps = depsWith(jobs);
    const settled = await sendJobs([1, 2, 3, 4].map(messageOf), deps);
    expect(outcomes(settled)).toEqual(['sent', 'sent', 'sent', 'ignored']);
    expect(settled[3]).toMatchObject({ value: { outcome: 'ignored', detail: 'claimed-elsewhere' } });
    // Only the job whose cap item moved reads it again; both are claimed alone.
    expect(jobs.called('getCaps')).toEqual([[customer(2)]]);
    expect(jobs.called('claim').sort()).toEqual([[jobOf(2).jobId], [jobOf(3).jobId]]);
    expect(deps.mailer.sent).not.toContain('c4@example.com');
    expect(jobs.called('recordSentAll')).toEqual([[1, 2, 3].map((n) => jobOf(n).jobId)]);
  });

  it('claims each job alone when the claim transaction fails as a whole', async () => {
    const jobs = new FakeJobs([1, 2].map(jobOf));
    jobs.claimAllAnswers = async () => {
      throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    };
    const settled = await sendJobs([1, 2].map(messageOf), depsWith(jobs));
    expect(outcomes(settled)).toEqual(['sent', 'sent']);
    expect(jobs.called('claim').sort()).toEqual([[jobOf(1).jobId], [jobOf(2).jobId]]);
  });

  it('records each job alone when the record transaction fails, and one record that cannot be written fails only its job', async () => {
    const jobs = new FakeJobs([1, 2, 3].map(jobOf));
    jobs.recordSentAllFails = true;
    jobs.recordSentFailsFor.add(jobOf(2).jobId);
    const deps = depsWith(jobs);
    const settled = await sendJobs([1, 2, 3].map(messageOf), deps);
    expect(outcomes(settled)).toEqual(['sent', 'rejected', 'sent']);
    expect(jobs.called('recordSent').sort()).toEqual([1, 2, 3].map((n) => [jobOf(n).jobId]));
    // The email went: it is not given back to be sent again.
    expect(jobs.called('releaseClaim')).toEqual([]);
    expect(deps.mailer.sent).toHaveLength(3);
  });

  it("sends a customer's second job of the batch alone, once the batch's claims are settled", async () => {
    const second = job({ customerId: customer(1), jobId: 'abandoned-cart#cart-9', journeyKey: 'cart-9' });
    const jobs = new FakeJobs([jobOf(1), second, jobOf(2)]);
    const { customerId, jobId, stepId, instanceId } = second;
    const settled = await sendJobs([messageOf(1), { customerId, jobId, stepId, instanceId }, messageOf(2)], depsWith(jobs));
    expect(outcomes(settled)).toEqual(['sent', 'sent', 'sent']);
    expect(jobs.called('claimAll')).toEqual([[jobOf(1).jobId, jobOf(2).jobId]]);
    expect(jobs.called('loadForSend')).toEqual([[second.jobId]]);
    const order = jobs.calls.map((c) => c.method);
    expect(order.indexOf('loadForSend')).toBeGreaterThan(order.indexOf('claimAll'));
  });

  describe('a hung SES call (stragglers)', () => {
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
    afterEach(() => jest.useRealTimers());

    it('holds only its own record: the others are recorded together two seconds after the first email is back', async () => {
      const jobs = new FakeJobs([1, 2, 3].map(jobOf));
      const deps = depsWith(jobs);
      deps.mailer.holdBack.add('c3@example.com');
      const batch = sendJobs([1, 2, 3].map(messageOf), deps);
      // Every phase before the wait: the batch's read, claims and first emails.
      while (deps.mailer.sent.length < 2) await jest.advanceTimersByTimeAsync(0);
      await jest.advanceTimersByTimeAsync(1999);
      expect(jobs.called('recordSentAll')).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(jobs.called('recordSentAll')).toEqual([[jobOf(1).jobId, jobOf(2).jobId]]);
      expect(jobs.called('recordSent')).toEqual([]);
      // SES answers at last: that email is recorded alone.
      deps.mailer.held.get('c3@example.com')!();
      const settled = await batch;
      expect(outcomes(settled)).toEqual(['sent', 'sent', 'sent']);
      expect(jobs.called('recordSent')).toEqual([[jobOf(3).jobId]]);
    });
  });
});
