import { TransientSendError, type Mailer } from '../../functions/adapters/ses/mailer';
import type { FanOutDeps } from '../../functions/usecases/broadcasts/fanOut';
import { startTestSystem, type TestSystem } from './support/harness';
import { adminRequest, createBroadcast, loyaltyMember, offers, saveSegment, status, type Member } from './support/broadcasts';

/** What can go wrong while a broadcast sends: a cancel, a worker that dies mid-page, SES refusing for a while. */

/** `n` members of a segment of their own (a country only they have), the flows' own emails already out. */
async function audience(app: TestSystem, n: number, country: string, segment: string): Promise<Member[]> {
  const members: Member[] = [];
  for (let i = 0; i < n; i += 10) {
    members.push(...(await Promise.all(Array.from({ length: Math.min(10, n - i) }, () => loyaltyMember(app, { country })))));
  }
  await app.advance('PT1M');
  await saveSegment(app, segment, [{ fact: 'profile.country', op: 'eq', value: country }]);
  return members;
}

const soon = async (app: TestSystem) => new Date(Date.parse(await app.now()) + 60_000).toISOString();
const counts = (app: TestSystem, members: Member[]) => Promise.all(members.map(async (c) => (await offers(app, c)).length));

describe('cancelling a broadcast while it sends', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  // A slow broadcast on purpose (fifteen seconds of sending) and sixty customers to set up: more than the default time.
  it('stops every email not yet sent within seconds, and no later wave starts', async () => {
    const members = await audience(app, 60, 'MT', 'malta');
    // 4 a second in all: 60 emails take fifteen seconds, long enough to cancel in the middle even on a
    // loaded machine, where each look at the inboxes below takes a while.
    await createBroadcast(app, {
      id: 'malta-cancel',
      name: 'Cancelled midway',
      segment: 'malta',
      sendAt: await soon(app),
      throttlePerSecond: 4,
    });
    const running = app.advance('PT2M');
    // Watched through the broadcast's status (one request), not the sixty inboxes: on a loaded machine
    // a look at every inbox took longer than the whole broadcast, which finished before the cancel.
    let sent = 0;
    for (let waited = 0; sent < 5 && waited < 20_000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      sent = (await status(app, 'malta-cancel')).sent;
    }
    expect(sent).toBeGreaterThanOrEqual(5);
    const cancelled = await adminRequest(app, 'POST', '/admin/api/broadcasts/malta-cancel/cancel');
    const atCancel = (await counts(app, members)).reduce((a, b) => a + b, 0);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: 'malta-cancel', state: 'cancelled' });
    expect(cancelled.body.notSent).toBeGreaterThan(0);
    await running;
    await app.advance('PT1H');
    const after = await counts(app, members);
    const total = after.reduce((a, b) => a + b, 0);
    // Only what had passed the gate when the cancel came still arrives.
    expect(total - atCancel).toBeLessThanOrEqual(8);
    expect(total).toBeLessThan(60);
    expect(Math.max(...after)).toBe(1);
    const final = await status(app, 'malta-cancel');
    expect(final.state).toBe('cancelled');
    expect(final.sent).toBe(total);
    expect(final.sent + (final.skippedBy.cancelled ?? 0)).toBe(final.audience);
    expect((await adminRequest(app, 'POST', '/admin/api/broadcasts/malta-cancel/cancel')).status).toBe(200);
    const changes = (await adminRequest(app, 'GET', '/admin/api/changes')).body.changes;
    expect(changes.filter((c: { action: string }) => c.action === 'broadcast-cancelled')).toHaveLength(1);
  }, 120_000);
});

describe('a broadcast worker that dies mid-page, with every message delivered twice', () => {
  let app: TestSystem;
  let crashes = 0;
  const flaky = (deps: FanOutDeps): FanOutDeps => ({
    ...deps,
    // The second run of job making dies halfway: half its jobs are written, the rest are not, nothing is handed over.
    recipients: {
      create: async (jobs, now) => {
        if (++crashes !== 2) return deps.recipients.create(jobs, now);
        await deps.recipients.create(jobs.slice(0, Math.ceil(jobs.length / 2)), now);
        throw new Error('worker died');
      },
    },
    partQueue: { enqueue: async (parts) => deps.partQueue.enqueue([...parts, ...parts]) },
    sendQueue: { enqueue: async (messages) => deps.sendQueue.enqueue([...messages, ...messages]) },
  });
  beforeAll(async () => {
    app = await startTestSystem({ wrapFanOut: flaky, audiencePageSize: 7, broadcastQueue: { retryDelayMs: () => 5 } });
  });
  afterAll(() => app.stop());

  it('sends each recipient exactly one email and counts each once', async () => {
    const members = await audience(app, 30, 'CY', 'cyprus');
    await createBroadcast(app, { id: 'cyprus-once', name: 'Once each', segment: 'cyprus', sendAt: await soon(app) });
    await app.advance('PT2M');
    await app.advance('PT15M');
    expect(crashes).toBeGreaterThan(2);
    expect(await counts(app, members)).toEqual(members.map(() => 1));
    expect(await status(app, 'cyprus-once')).toMatchObject({ state: 'done', audience: 30, sent: 30, skipped: 0, queued: 0 });
  });
});

describe('SES refusing for a while (throttling)', () => {
  let app: TestSystem;
  let refusing = false;
  let refusals = 0;
  const throttled = (inner: Mailer): Mailer => ({
    send: async (email) => {
      if (refusing && refusals < 45) {
        refusals++;
        throw new TransientSendError('TooManyRequestsException');
      }
      return inner.send(email);
    },
  });
  beforeAll(async () => {
    app = await startTestSystem({ wrapMailer: throttled, sendQueue: { maxReceiveCount: 3, retryDelayMs: () => 5 } });
  });
  afterAll(() => app.stop());

  it('delays the emails it refused and loses none of them', async () => {
    const members = await audience(app, 20, 'LU', 'luxembourg');
    refusing = true;
    await createBroadcast(app, { id: 'lux-throttled', name: 'Throttled', segment: 'luxembourg', sendAt: await soon(app) });
    await app.advance('PT2M');
    expect(refusals).toBe(45);
    const first = await status(app, 'lux-throttled');
    expect(first.audience).toBe(20);
    expect(first.sent).toBeLessThan(20);
    expect(first.failed).toBe(0);
    // Those whose messages ran out of receives wait for their lease; the sweep hands them over again.
    await app.advance('PT11M');
    expect(await counts(app, members)).toEqual(members.map(() => 1));
    expect(await status(app, 'lux-throttled')).toMatchObject({ state: 'done', audience: 20, sent: 20, failed: 0, skipped: 0 });
  });
});
