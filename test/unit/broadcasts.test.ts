import { broadcastSchema, sendAtProblem } from '../../functions/domain/broadcasts/broadcast';
import { campaignOfBroadcast } from '../../functions/domain/broadcasts/campaignForm';
import { pickRecipients, type WaveFacts } from '../../functions/domain/broadcasts/recipients';
import { firstWaveAt, recipientInstant, waveOf } from '../../functions/domain/broadcasts/waves';
import { decidePacing, decideSend } from '../../functions/domain/sending/sendDecision';
import type { SegmentSubject } from '../../functions/domain/segments/evaluate';
import { ratePerPart, tokenBucket } from '../../functions/usecases/broadcasts/pacer';

const tenOnFirst = { localTime: '10:00', date: '2026-12-01' };

describe('when a local-time broadcast reaches whom', () => {
  it('is 10:00 in each zone, and 10:00 on either side of a change of summer time', () => {
    expect(recipientInstant(tenOnFirst, 'Asia/Tokyo')).toBe('2026-12-01T01:00:00.000Z');
    expect(recipientInstant(tenOnFirst, 'Europe/Warsaw')).toBe('2026-12-01T09:00:00.000Z');
    expect(recipientInstant(tenOnFirst, 'America/New_York')).toBe('2026-12-01T15:00:00.000Z');
    expect(recipientInstant({ localTime: '10:00', date: '2026-03-29' }, 'Europe/Warsaw')).toBe('2026-03-29T08:00:00.000Z');
    // 02:30 does not exist in Warsaw on 29 March: it moves forward to 03:30 summer time.
    expect(recipientInstant({ localTime: '02:30', date: '2026-03-29' }, 'Europe/Warsaw')).toBe('2026-03-29T01:30:00.000Z');
    expect(recipientInstant('2026-12-01T10:00:00+01:00', 'America/New_York')).toBe('2026-12-01T09:00:00.000Z');
  });

  it('starts when the earliest zone on Earth reaches the time', () => {
    expect(firstWaveAt(tenOnFirst)).toBe('2026-11-30T20:00:00.000Z');
    expect(firstWaveAt('2026-12-01T09:00:00Z')).toBe('2026-12-01T09:00:00.000Z');
  });

  it('takes into a wave whoever is due since the wave before, and leaves later zones for later', () => {
    const wave = '2026-12-01T09:00:30.000Z';
    expect(waveOf('2026-12-01T09:00:00.000Z', wave, '2026-12-01T01:00:10.000Z')).toBe('now');
    expect(waveOf('2026-12-01T01:00:00.000Z', wave, '2026-12-01T01:00:10.000Z')).toBe('earlier');
    expect(waveOf('2026-12-01T15:00:00.000Z', wave, '2026-12-01T01:00:10.000Z')).toBe('later');
    // The first wave takes every zone whose time had passed when the broadcast was made.
    expect(waveOf('2026-11-30T21:00:00.000Z', wave, undefined)).toBe('now');
  });
});

describe('picking a wave’s recipients', () => {
  const subject = (customerId: string, timezone: string | undefined, tier: string): SegmentSubject => ({
    profile: {
      customerId,
      locale: 'en',
      consent: {},
      updatedAt: '2026-11-01T00:00:00.000Z',
      ...(timezone ? { timezone } : {}),
      loyalty: { tier, points: 10, at: '2026-11-01T00:00:00.000Z' },
    },
    orders: [],
    carts: [],
    viewedCategories: [],
  });
  const facts = (waveAt: string, previousWaveAt?: string): WaveFacts => ({
    broadcast: { id: 'dec', topic: 'loyalty', template: 'loyalty-offer', priority: 40, sendAt: tenOnFirst },
    segment: { match: 'all', conditions: [{ fact: 'loyalty.tier', op: 'eq', value: 'gold' }] },
    waveAt,
    ...(previousWaveAt ? { previousWaveAt } : {}),
    shopZone: 'Europe/Warsaw',
  });
  const page = [
    subject('tokyo', 'Asia/Tokyo', 'gold'),
    subject('warsaw', 'Europe/Warsaw', 'gold'),
    subject('nowhere', 'Mars/Olympus', 'gold'),
    subject('unknown', undefined, 'gold'),
    subject('silver', 'Asia/Tokyo', 'silver'),
    subject('ny', 'America/New_York', 'gold'),
  ];

  it('makes a queued job for each member due now, and says when the next wave is', () => {
    const picked = pickRecipients(page, facts('2026-12-01T01:00:05.000Z', '2026-11-30T20:00:00.000Z'), '2026-12-01T01:00:05.000Z');
    expect(picked.jobs.map((j) => j.customerId)).toEqual(['tokyo']);
    expect(picked.nextAt).toBe('2026-12-01T09:00:00.000Z');
    expect(picked.jobs[0]).toMatchObject({
      jobId: 'dec#broadcast',
      campaignId: 'dec',
      stepId: 'broadcast',
      instanceId: 'dec@2026-12-01T01:00:05.000Z',
      status: 'queued',
      priority: 40,
      anchorAt: '2026-12-01T01:00:00.000Z',
      dueAt: '2026-12-01T01:00:05.000Z',
    });
  });

  it('puts customers without a valid zone in the shop’s', () => {
    const picked = pickRecipients(page, facts('2026-12-01T09:00:05.000Z', '2026-12-01T01:00:05.000Z'), '2026-12-01T09:00:05.000Z');
    expect(picked.jobs.map((j) => j.customerId)).toEqual(['warsaw', 'nowhere', 'unknown']);
    expect(picked.nextAt).toBe('2026-12-01T15:00:00.000Z');
  });
});

describe('a broadcast as the send path reads it', () => {
  const definition = broadcastSchema.parse({
    id: 'dec',
    name: 'December',
    template: 'loyalty-offer',
    topic: 'loyalty',
    segment: 'gold',
    sendAt: tenOnFirst,
    whenQuiet: 'skip',
    holdout: 0.1,
  });
  const campaign = campaignOfBroadcast(definition, { segmentName: 'Gold members' });

  it('is a one-step marketing campaign of its topic, holdout and priority', () => {
    expect(campaign).toMatchObject({
      id: 'dec',
      kind: 'marketing',
      topic: 'loyalty',
      priority: 50,
      holdout: 0.1,
      whenQuiet: 'skip',
      steps: [{ id: 'broadcast', template: 'loyalty-offer' }],
      broadcast: { segment: 'gold', segmentName: 'Gold members' },
    });
  });

  it('skips a recipient inside quiet hours when it says so, and holds them otherwise', () => {
    const cap = { allowed: true as const, remainingAfter: 1 };
    const quietUntil = new Date('2026-12-01T07:00:00Z');
    expect(decidePacing({ campaign, now: '2026-12-01T00:00:00Z', quietUntil, cap })).toEqual({
      outcome: 'skip',
      reason: 'quiet-hours',
      detail: 'quiet-hours',
    });
    const held = campaignOfBroadcast({ ...definition, whenQuiet: 'hold' }, { segmentName: 'Gold members' });
    expect(decidePacing({ campaign: held, now: '2026-12-01T00:00:00Z', quietUntil, cap })).toMatchObject({ outcome: 'defer' });
  });

  it('skips every send still due once it is cancelled', () => {
    const cancelled = campaignOfBroadcast(definition, { segmentName: 'Gold', cancelledAt: '2026-12-01T09:00:00Z' });
    const job = pickRecipients(
      [
        {
          profile: { customerId: 'c', locale: 'en', consent: {}, updatedAt: '', loyalty: { tier: 'gold', points: 1, at: '' } },
          orders: [],
          carts: [],
          viewedCategories: [],
        },
      ],
      {
        broadcast: { id: 'dec', topic: 'loyalty', template: 'loyalty-offer', priority: 50, sendAt: '2026-12-01T09:00:00Z' },
        segment: { match: 'all', conditions: [{ fact: 'loyalty.tier', op: 'eq', value: 'gold' }] },
        waveAt: '2026-12-01T09:00:00.000Z',
        shopZone: 'UTC',
      },
      '2026-12-01T09:00:00.000Z',
    ).jobs[0]!;
    const profile = {
      customerId: 'c',
      email: 'c@example.com',
      locale: 'en' as const,
      updatedAt: '',
      consent: { loyalty: { status: 'granted' as const, at: '2026-01-01T00:00:00Z', source: 'checkout', policyVersion: '1' } },
    };
    expect(decideSend({ job, campaign, profile, now: '2026-12-01T09:00:01.000Z' })).toEqual({ outcome: 'send' });
    expect(decideSend({ job, campaign: cancelled, profile, now: '2026-12-01T09:00:01.000Z' })).toEqual({
      outcome: 'skip',
      reason: 'cancelled',
      detail: 'broadcast-cancelled',
    });
  });
});

describe('what a broadcast may ask', () => {
  it('names the field of a bad time, and finds dates in the past in the shop’s zone', () => {
    const base = { id: 'b', name: 'B', template: 't', topic: 'loyalty', segment: 's' };
    const path = (sendAt: unknown) => broadcastSchema.safeParse({ ...base, sendAt }).error?.issues[0]?.path.join('.');
    expect(path({ localTime: '25:00', date: '2026-12-01' })).toBe('sendAt.localTime');
    expect(path({ localTime: '10:00', date: '2026-02-30' })).toBe('sendAt.date');
    expect(path('tomorrow at ten')).toBe('sendAt');
    expect(path('2026-12-01T10:00:00')).toBe('sendAt'); // an instant needs its offset
    const now = '2026-11-30T23:30:00.000Z'; // already 1 December in Warsaw
    expect(sendAtProblem({ localTime: '10:00', date: '2026-11-30' }, now, 'Europe/Warsaw')).toEqual({
      path: 'sendAt.date',
      message: 'is in the past (today is 2026-12-01 in Europe/Warsaw)',
    });
    expect(sendAtProblem({ localTime: '10:00', date: '2026-11-30' }, now, 'America/New_York')).toBeUndefined();
    expect(sendAtProblem('2026-11-30T23:29:30Z', now, 'UTC')).toBeUndefined();
    expect(sendAtProblem('2026-11-30T23:00:00Z', now, 'UTC')?.path).toBe('sendAt');
  });
});

describe('pacing a wave', () => {
  it('keeps the broadcast’s rate, never above SES’s, shared among the parts', () => {
    expect(ratePerPart(200, 14, 4)).toBe(3.5);
    expect(ratePerPart(8, 500, 4)).toBe(2);
    expect(ratePerPart(undefined, 100, 8)).toBe(12.5);
    expect(ratePerPart(undefined, undefined, 4)).toBeUndefined();
  });

  it('lets one second’s worth go at once, then the rate', async () => {
    let now = 0;
    const slept: number[] = [];
    const bucket = tokenBucket(10, { now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) });
    await bucket.take(10);
    expect(now).toBe(0);
    await bucket.take(5);
    expect(now).toBe(500);
    for (let i = 0; i < 20; i++) await bucket.take(1);
    expect(now).toBe(2500);
    expect(slept.every((ms) => ms > 0)).toBe(true);
  });
});
