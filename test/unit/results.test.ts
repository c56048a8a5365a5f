import {
  armOf,
  cancellationCount,
  mergeCounts,
  orderCounts,
  outcomeCount,
  sesEventCount,
  unsubscribeCount,
  type Count,
} from '../../functions/domain/results/counters';
import { BatchedResults } from '../../functions/usecases/countResults';
import { countsFromCounters, ratesOf } from '../../functions/domain/results/funnel';
import { InvalidReportRangeError, reportRange } from '../../functions/domain/results/range';
import { abandonedCart, at, job, T0 } from './fixtures';

const day = T0.slice(0, 10);
const key = (stepId: string, variant = 'default', d = day) => ({ campaignId: 'abandoned-cart', day: d, stepId, variant });

describe('what is counted', () => {
  it('a send outcome: jobs and the outcome; a first email or a holdout also enters the lift group', () => {
    expect(outcomeCount(job(), 'a', 'sent', undefined, at(60))).toEqual({
      key: key('reminder-1', 'a'),
      add: { jobs: 1, sent: 1, liftJourneys: 1 },
    });
    expect(outcomeCount(job({ stepIndex: 1, stepId: 'reminder-2' }), 'a', 'sent', undefined, at(60))).toEqual({
      key: key('reminder-2', 'a'),
      add: { jobs: 1, sent: 1 },
    });
    expect(outcomeCount(job(), 'holdout', 'skipped', 'held-out', at(60)).add).toEqual({ jobs: 1, 'skipped:held-out': 1, liftJourneys: 1 });
    expect(outcomeCount(job(), 'default', 'skipped', 'no-consent', at(60)).add).toEqual({ jobs: 1, 'skipped:no-consent': 1 });
    expect(outcomeCount(job(), 'default', 'failed', undefined, at(60)).add).toEqual({ jobs: 1, failed: 1 });
    expect(cancellationCount(job(), abandonedCart, at(30))).toEqual({ key: key('reminder-1'), add: { jobs: 1, 'skipped:cancelled': 1 } });
  });

  it('an arm is the deterministic assignment: variant, default or holdout', () => {
    const experiment = {
      ...abandonedCart,
      holdout: 0.5,
      variants: [
        { id: 'a', weight: 1 },
        { id: 'b', weight: 1 },
      ],
    };
    const arms = new Set(Array.from({ length: 200 }, (_, i) => armOf(`c${i}`, experiment)));
    expect(arms).toEqual(new Set(['a', 'b', 'holdout']));
    expect(armOf('c1', abandonedCart)).toBe('default');
    expect(armOf('c1', undefined)).toBe('default');
  });

  it('an SES event: once per email and type, on the day the email was sent, from the tags', () => {
    const tags = { campaign: ['abandoned-cart'], step: ['reminder-1'], variant: ['b'], customer: ['YzE'], tracking: ['on'] };
    const open = sesEventCount({ type: 'Open', messageId: 'm-1', tags, sentAt: '2026-11-21T23:59:00Z' }, 'c1', T0);
    expect(open).toEqual({ key: key('reminder-1', 'b', '2026-11-21'), add: { opened: 1 }, once: { customerId: 'c1', id: 'opened#m-1' } });
    expect(sesEventCount({ type: 'Click', messageId: 'm-1', tags, sentAt: '2026-11-21T23:59:00Z' }, 'c1', T0)?.once?.id).toBe(
      'clicked#m-1',
    );
    expect(sesEventCount({ type: 'Delivery', messageId: 'm-1', tags: { ...tags, variant: [] } }, 'c1', T0)).toMatchObject({
      key: key('reminder-1', 'default'),
      add: { delivered: 1 },
    });
    expect(sesEventCount({ type: 'Bounce', messageId: 'm-1', tags }, 'c1', T0)?.add).toEqual({ bounced: 1 });
    expect(sesEventCount({ type: 'Complaint', messageId: 'm-1', tags }, 'c1', T0)?.add).toEqual({ complained: 1 });
    expect(sesEventCount({ type: 'Send', messageId: 'm-1', tags }, 'c1', T0)).toBeUndefined();
    expect(sesEventCount({ type: 'Open', messageId: 'm-1', tags: { customer: ['YzE'] } }, 'c1', T0)).toBeUndefined();
    expect(sesEventCount({ type: 'Open', messageId: 'm-1', tags }, undefined, T0)).toBeUndefined();
  });

  it('an unsubscribe: once per email, on the day it was sent', () => {
    expect(unsubscribeCount('c1', { campaignId: 'abandoned-cart', stepId: 'reminder-1', variant: 'a' }, at(60))).toEqual({
      key: key('reminder-1', 'a'),
      add: { unsubscribed: 1 },
      once: { customerId: 'c1', id: `unsubscribed#abandoned-cart#reminder-1#${at(60)}` },
    });
  });

  describe('an order', () => {
    const order = { customerId: 'c1', total: 25, currency: 'EUR', placedAt: at(120) };
    const sent = (stepId: string, minutes: number, extra = {}) => ({
      campaignId: 'abandoned-cart',
      stepId,
      outcome: 'sent',
      variant: 'a',
      messageId: `m-${stepId}`,
      at: at(minutes),
      jobId: 'abandoned-cart#cart-1',
      instanceId: 'e1',
      ...extra,
    });
    const attribution = {
      customerId: 'c1',
      orderId: 'o1',
      campaignId: 'abandoned-cart',
      variant: 'a',
      stepId: 'reminder-2',
      messageId: 'm-reminder-2',
      revenue: 25,
      currency: 'EUR',
      emailAt: at(90),
      orderAt: at(120),
      heldOut: false,
    };

    it('counts the attributed email’s order and revenue, its conversion once, and the journey’s lift conversion once', () => {
      const counts = orderCounts(order, attribution, [sent('reminder-1', 60), sent('reminder-2', 90)], [abandonedCart]);
      expect(counts).toEqual([
        { key: key('reminder-2', 'a'), add: { orders: 1, 'revenue:EUR': 25 } },
        { key: key('reminder-2', 'a'), add: { converted: 1 }, once: { customerId: 'c1', id: 'converted#m-reminder-2' } },
        { key: key('reminder-1', 'a'), add: { liftConversions: 1 }, once: { customerId: 'c1', id: 'lift#abandoned-cart#cart-1#e1' } },
      ]);
    });

    it('a held-out journey converts for the holdout, whatever other emails came; its order adds no email revenue', () => {
      const held = {
        campaignId: 'abandoned-cart',
        stepId: 'reminder-1',
        outcome: 'skipped',
        reason: 'held-out',
        variant: 'holdout',
        at: at(60),
        jobId: 'abandoned-cart#cart-1',
        instanceId: 'e1',
      };
      const other = { ...sent('other-step', 90), campaignId: 'win-back' };
      const counts = orderCounts(order, { ...attribution, variant: 'holdout', heldOut: true }, [held, other], [abandonedCart]);
      expect(counts).toEqual([
        { key: key('reminder-1', 'holdout'), add: { liftConversions: 1 }, once: { customerId: 'c1', id: 'lift#abandoned-cart#cart-1#e1' } },
      ]);
    });

    it('outside the attribution window, or before the email, nothing converts', () => {
      const late = { ...order, placedAt: new Date(Date.parse(at(60)) + 5 * 86_400_000 + 1).toISOString() };
      expect(orderCounts(late, undefined, [sent('reminder-1', 60)], [abandonedCart])).toEqual([]);
      expect(orderCounts({ ...order, placedAt: at(30) }, undefined, [sent('reminder-1', 60)], [abandonedCart])).toEqual([]);
    });
  });
});

describe('counting a send batch together', () => {
  const first = job({ stepIndex: 0 });
  const counts = [
    outcomeCount(first, 'default', 'sent', undefined, at(60)),
    outcomeCount(first, 'default', 'sent', undefined, at(61)),
    outcomeCount(first, 'default', 'skipped', 'capped', at(62)),
  ];
  const marked = unsubscribeCount('c1', { campaignId: 'abandoned-cart', stepId: 'reminder-1', variant: 'default' }, at(60));

  it('sums counts of one row into one addition; a count with a marker stays on its own', () => {
    expect(mergeCounts([...counts, marked])).toEqual([
      { key: counts[0]!.key, add: { jobs: 3, sent: 2, liftJourneys: 2, 'skipped:capped': 1 } },
      marked,
    ]);
  });

  it('adds nothing until flushed, and a failed flush is swallowed (the emails stand)', async () => {
    const recorded: Count[][] = [];
    const batch = new BatchedResults({ record: async (c) => (recorded.push(c), c.length) });
    for (const c of counts) await batch.record([c], at(60));
    expect(recorded).toEqual([]);
    await batch.flush('send');
    expect(recorded).toEqual([mergeCounts(counts)]);
    await batch.flush('send');
    expect(recorded).toHaveLength(1);

    const failing = new BatchedResults({ record: () => Promise.reject(new Error('throttled')) });
    await failing.record(counts, at(60));
    await expect(failing.flush('send')).resolves.toBeUndefined();
  });
});

describe('rates', () => {
  it('per delivered email, unique counts, revenue per currency, null without a denominator', () => {
    const counts = countsFromCounters({
      jobs: 12,
      sent: 10,
      sentTracked: 10,
      'skipped:no-consent': 1,
      'skipped:held-out': 1,
      delivered: 8,
      deliveredTracked: 8,
      opened: 4,
      clicked: 2,
      bounced: 2,
      complained: 1,
      unsubscribed: 1,
      converted: 2,
      orders: 3,
      'revenue:EUR': 75,
      'revenue:PLN': 40,
      liftJourneys: 9,
      liftConversions: 2,
      nonsense: 5,
    });
    expect(counts).toMatchObject({ jobs: 12, skipped: 2, skippedBy: { 'no-consent': 1, 'held-out': 1 }, revenue: { EUR: 75, PLN: 40 } });
    expect(ratesOf(counts)).toEqual({
      deliveryRate: 0.8,
      bounceRate: 0.2,
      openRate: 0.5,
      clickRate: 0.25,
      clickToOpenRate: 0.5,
      placedOrderRate: 0.25,
      revenuePerRecipient: { EUR: 9.375, PLN: 5 },
      optOutRate: 0.125,
      complaintRate: 0.125,
      gmailCeilingReached: true,
    });
    expect(ratesOf(countsFromCounters({ sent: 3 }))).toMatchObject({
      openRate: null,
      complaintRate: null,
      gmailCeilingReached: false,
      revenuePerRecipient: {},
    });
    expect(ratesOf(countsFromCounters({ delivered: 1000, complained: 2 })).gmailCeilingReached).toBe(false);
    expect(ratesOf(countsFromCounters({ delivered: 1000, complained: 3 })).gmailCeilingReached).toBe(true);
  });
});

describe('report range', () => {
  it('Nd is the N days ending today (or until); dates are taken as given; both ends included', () => {
    expect(reportRange({ since: '7d' }, '2026-11-22')).toMatchObject({ since: '2026-11-16', until: '2026-11-22' });
    expect(reportRange({ since: '7d' }, '2026-11-22').days).toHaveLength(7);
    expect(reportRange({}, '2026-11-22').since).toBe('2026-10-24');
    expect(reportRange({ since: '2026-02-27', until: '2026-03-01' }, '2026-11-22').days).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
    ]);
    expect(reportRange({ since: '1d' }, '2026-11-22').days).toEqual(['2026-11-22']);
  });

  it.each([
    [{ since: 'yesterday' }, 'since'],
    [{ since: '0d' }, 'since'],
    [{ since: '401d' }, 'since'],
    [{ since: '2026-02-30' }, 'since'],
    [{ until: '22.11.2026' }, 'until'],
    [{ since: '2026-11-23' }, 'since'],
    [{ since: '2020-01-01' }, 'since'],
  ])('refuses %j naming %s', (input, field) => {
    expect(() => reportRange(input, '2026-11-22')).toThrow(InvalidReportRangeError);
    try {
      reportRange(input, '2026-11-22');
    } catch (error) {
      expect((error as InvalidReportRangeError).field).toBe(field);
    }
  });
});
