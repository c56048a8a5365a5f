import { campaignSchema } from '../../functions/domain/journeys/campaign';
import type { StatsRow } from '../../functions/adapters/dynamo/statsStore';
import { campaignReport } from '../../functions/usecases/campaignReport';
import { abandonedCart } from './fixtures';

describe('campaign report', () => {
  const experiment = campaignSchema.parse({
    ...abandonedCart,
    variants: [
      { id: 'b', weight: 1 },
      { id: 'a', weight: 1 },
    ],
    holdout: 0.1,
  });
  const row = (d: string, stepId: string, variant: string, counters: Record<string, number>): StatsRow => ({
    campaignId: 'abandoned-cart',
    day: d,
    stepId,
    variant,
    counters,
  });
  const rows = [
    row('2026-11-20', 'reminder-2', 'a', { jobs: 2, sent: 2, delivered: 2, opened: 1 }),
    row('2026-11-20', 'reminder-1', 'a', {
      jobs: 60,
      sent: 60,
      delivered: 50,
      opened: 20,
      clicked: 5,
      converted: 3,
      orders: 4,
      'revenue:EUR': 100,
      liftJourneys: 60,
      liftConversions: 6,
    }),
    row('2026-11-21', 'reminder-1', 'b', { jobs: 50, sent: 50, delivered: 50, unsubscribed: 1, liftJourneys: 50, liftConversions: 3 }),
    row('2026-11-21', 'reminder-1', 'holdout', {
      jobs: 101,
      'skipped:held-out': 100,
      'skipped:no-consent': 1,
      liftJourneys: 100,
      liftConversions: 2,
    }),
  ];
  const stats = {
    rows: jest.fn(async (_campaignId: string, since: string, until: string) => rows.filter((r) => r.day >= since && r.day <= until)),
    campaigns: jest.fn(async () => ['abandoned-cart']),
  };
  const deps = { stats, clock: { now: () => new Date('2026-11-22T12:00:00Z') }, catalog: { campaign: async () => experiment } };

  it('adds rows up per step, variant and day, fills every day, and compares recipients with the holdout', async () => {
    const report = await campaignReport({ since: '5d' }, deps);
    expect(report).toMatchObject({
      since: '2026-11-18',
      until: '2026-11-22',
      generatedAt: '2026-11-22T12:00:00.000Z',
      definitions: { recipients: 'delivered' },
    });
    const [c] = report.campaigns;
    expect(c!.name).toBe(experiment.name);
    expect(c!.totals.counts).toMatchObject({
      jobs: 213,
      sent: 112,
      skipped: 101,
      delivered: 102,
      opened: 21,
      orders: 4,
      revenue: { EUR: 100 },
    });
    expect(c!.steps.map((s) => [s.stepId, s.counts.sent])).toEqual([
      ['reminder-1', 110],
      ['reminder-2', 2],
    ]);
    expect(c!.variants.map((v) => [v.variant, v.counts.jobs])).toEqual([
      ['b', 50],
      ['a', 62],
      ['holdout', 101],
    ]);
    expect(c!.days.map((d) => [d.day, d.counts.sent])).toEqual([
      ['2026-11-18', 0],
      ['2026-11-19', 0],
      ['2026-11-20', 62],
      ['2026-11-21', 50],
      ['2026-11-22', 0],
    ]);
    expect(c!.days[0]!.rates.openRate).toBeNull();
    expect(c!.rows).toHaveLength(4);
    expect(c!.rows[0]).toMatchObject({ day: '2026-11-20', stepId: 'reminder-1', variant: 'a' });
    expect(c!.lift).toMatchObject({
      recipients: { journeys: 110, conversions: 9 },
      holdout: { journeys: 100, conversions: 2 },
      notEnoughData: false,
    });
    expect(c!.variantLift.map((v) => [v.variant, v.notEnoughData])).toEqual([
      ['b', true],
      ['a', true],
    ]);
  });

  it('reads only the range asked for, and one campaign when named', async () => {
    const report = await campaignReport({ campaignId: 'abandoned-cart', since: '2026-11-21', until: '2026-11-21' }, deps);
    expect(stats.rows).toHaveBeenLastCalledWith('abandoned-cart', '2026-11-21', '2026-11-21');
    expect(report.campaigns[0]!.totals.counts.sent).toBe(50);
  });
});
