import { campaignSchema } from '../../functions/domain/journeys/campaign';
import { armOf } from '../../functions/domain/results/counters';
import { emptyCounts } from '../../functions/domain/results/funnel';
import type { CampaignReport, FunnelCounts } from '../../functions/usecases/campaignReport';
import abandonedCart from '../../templates/abandoned-cart/campaign.json';
import type { Browser } from 'playwright-core';
import { artifactPath, launchBrowser } from './support/browser';
import {
  cartUpdated,
  consentGranted,
  customerUpserted,
  newCustomer,
  orderPlaced,
  runCli,
  startTestSystem,
  type StoredEmail,
  type TestSystem,
} from './support/harness';

/**
 * Campaign results end to end: a scripted flow with known sends, skips, deliveries, opens (one
 * repeated), clicks, an unsubscribe, a bounce, a complaint and orders — by recipients and by held-out
 * customers — must come out of `npx tactful report --json`, and on /admin/reports, as exactly those numbers.
 */

const campaign = campaignSchema.parse({
  ...abandonedCart,
  id: 'results-test',
  name: 'Results test',
  // A topic of its own: the shipped cart series skips these customers (no consent) and stays out of the way.
  topic: 'newsletter',
  priority: 10,
  steps: abandonedCart.steps.slice(0, 2).map((step, i) => ({ ...step, id: `s${i + 1}` })),
  variants: [
    { id: 'a', weight: 1 },
    { id: 'b', weight: 1 },
  ],
  holdout: 0.3,
});

/** A fresh customer in the given arm of the campaign (assignment is a hash of the id). */
function customerIn(arm: string) {
  for (;;) {
    const c = newCustomer();
    if (armOf(c.id, campaign) === arm) return c;
  }
}

const zero: FunnelCounts = emptyCounts();
const counts = (c: Partial<FunnelCounts>): FunnelCounts => ({ ...zero, ...c });

describe('campaign results', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
    await app.system.catalogStore.putCampaign(campaign, await app.now());
    await new Promise((r) => setTimeout(r, 1100)); // the catalog cache's lifetime
  });
  afterAll(() => app.stop());

  const ses = (events: unknown) => app.request('POST', '/dev/ses-events', events);
  /** As an SES event names only its message locally: the endpoint fills in tags, send time and recipient. */
  const byId = (type: string, email: StoredEmail, extra: Record<string, unknown> = {}) => ({
    eventType: type,
    mail: { messageId: email.messageId },
    ...extra,
  });
  const only = async (to: string, count: number) => {
    const mail = await app.inbox(to);
    expect(mail).toHaveLength(count);
    return mail[count - 1]!;
  };

  it('a scripted flow produces exactly its numbers in `npx tactful report --json`', async () => {
    const [a1, a2, a3, a4, b1, b2, b3, h1, h2] = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'holdout', 'holdout'].map(customerIn) as ReturnType<
      typeof newCustomer
    >[];
    const noConsent = customerIn('b');
    const everyone = [a1!, a2!, a3!, a4!, b1!, b2!, b3!, h1!, h2!];
    const start = await app.now();
    // Everyone allows tracking here, so opens and clicks are seen (tracking.test.ts covers those who do not).
    const events = [...everyone, noConsent].flatMap((c) => [
      customerUpserted(c, start),
      consentGranted(c, start, 'newsletter'),
      consentGranted(c, start, 'tracking'),
      cartUpdated(c, start),
    ]);
    await app.postEvents(events.filter((e) => !(e.customerId === noConsent.id && e.type === 'consent.changed')));

    // a3 empties the cart before the first email: cancelled, counted at step s1.
    await app.advance('PT30M');
    await app.postEvents([cartUpdated(a3!, await app.now(), [], 'cart-1')]);
    await app.advance('PT30M');

    const s1 = Object.fromEntries(
      await Promise.all(
        ['a1', 'a2', 'a4', 'b1', 'b2', 'b3'].map(async (name, i) => [name, await only([a1, a2, a4, b1, b2, b3][i]!.email, 1)] as const),
      ),
    );
    for (const c of [a3!, h1!, h2!, noConsent]) expect(await app.inbox(c.email)).toHaveLength(0);

    // SES events for the first emails. Repeats (a redelivered delivery, a second open, a second click) count once.
    expect(
      (
        await ses([
          byId('Delivery', s1['a1']!),
          byId('Delivery', s1['a1']!),
          byId('Open', s1['a1']!),
          byId('Open', s1['a1']!),
          byId('Click', s1['a1']!),
          byId('Click', s1['a1']!),
        ])
      ).body,
    ).toEqual({
      results: ['counted', 'ignored', 'counted', 'ignored', 'counted', 'ignored'],
    });
    await ses([byId('Delivery', s1['a2']!), byId('Open', s1['a2']!), byId('Delivery', s1['a4']!), byId('Delivery', s1['b3']!)]);
    await ses(byId('Bounce', s1['b2']!, { bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: b2!.email }] } }));
    // b1's events as SES publishes them on AWS: with the message's tags and send time.
    const sentAt = (await app.system.customers.listLog(b1!.id)).find((e) => e.campaignId === 'results-test' && e.outcome === 'sent')!.at;
    const customer = [Buffer.from(b1!.id).toString('base64url')];
    const tags = { campaign: ['results-test'], step: ['s1'], variant: ['b'], customer, tracking: ['on'] };
    const mail = { messageId: s1['b1']!.messageId, timestamp: sentAt, destination: [b1!.email], tags };
    expect(
      (
        await ses([
          { eventType: 'Delivery', mail },
          { eventType: 'Open', mail, open: {} },
          { eventType: 'Click', mail, click: { link: 'https://shop.example.com/cart' } },
          { eventType: 'Complaint', mail, complaint: { complainedRecipients: [{ emailAddress: b1!.email }] } },
        ])
      ).body,
    ).toEqual({
      results: ['counted', 'counted', 'counted', 'suppressed'],
    });

    // a2 unsubscribes with the email's one-click link, twice (mail clients do): one unsubscribe.
    const unsubscribeUrl = /^<(.+)>$/.exec(s1['a2']!.headers!.find((h) => h.name === 'List-Unsubscribe')!.value)![1]!;
    for (let i = 0; i < 2; i++)
      expect(
        (
          await fetch(unsubscribeUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'List-Unsubscribe=One-Click',
          })
        ).status,
      ).toBe(200);

    // Orders: a1 buys the cart (ending the series) and later something else; h1, held out, buys too.
    await app.advance('PT1H');
    await app.postEvents([orderPlaced(a1!, await app.now(), 'cart-1'), orderPlaced(h1!, await app.now(), 'cart-1')]);
    await app.advance('PT1H');
    await app.postEvents([orderPlaced(a1!, await app.now(), 'another-cart')]);

    // The second step: a4 and b3 get it; a2 unsubscribed, b1 complained, b2 bounced.
    await app.advance('PT22H');
    const a4second = await only(a4!.email, 2);
    await only(b3!.email, 2);
    for (const c of [a1!, a2!, b1!, b2!]) expect(await app.inbox(c.email)).toHaveLength(1);
    await ses([byId('Delivery', a4second), byId('Open', a4second)]);

    const cli = await runCli(['report', 'results-test', '--since', '3d', '--json'], {
      TACTFUL_URL: app.url,
      TACTFUL_ADMIN_KEY: app.system.adminKey,
    });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const report = JSON.parse(cli.stdout) as CampaignReport;
    expect(report.campaigns.map((c) => c.campaignId)).toEqual(['results-test']);
    const [result] = report.campaigns;

    const expected = {
      's1/a': counts({
        jobs: 4,
        sent: 3,
        sentTracked: 3,
        skipped: 1,
        skippedBy: { cancelled: 1 },
        delivered: 3,
        deliveredTracked: 3,
        opened: 2,
        clicked: 1,
        unsubscribed: 1,
        converted: 1,
        orders: 2,
        revenue: { EUR: 50 },
        liftJourneys: 3,
        liftConversions: 1,
      }),
      's2/a': counts({
        jobs: 3,
        sent: 1,
        sentTracked: 1,
        skipped: 2,
        skippedBy: { cancelled: 1, 'no-consent': 1 },
        delivered: 1,
        deliveredTracked: 1,
        opened: 1,
      }),
      's1/b': counts({
        jobs: 4,
        sent: 3,
        sentTracked: 3,
        skipped: 1,
        skippedBy: { 'no-consent': 1 },
        delivered: 2,
        deliveredTracked: 2,
        opened: 1,
        clicked: 1,
        bounced: 1,
        complained: 1,
        liftJourneys: 3,
      }),
      's2/b': counts({ jobs: 3, sent: 1, sentTracked: 1, skipped: 2, skippedBy: { suppressed: 2 } }),
      's1/holdout': counts({ jobs: 2, skipped: 2, skippedBy: { 'held-out': 2 }, liftJourneys: 2, liftConversions: 1 }),
    };
    // Rows are per day too; the flow may cross midnight, so compare each step and variant over its days.
    const byStepAndVariant: Record<string, FunnelCounts> = {};
    for (const row of result!.rows) {
      const k = `${row.stepId}/${row.variant}`;
      byStepAndVariant[k] = add(byStepAndVariant[k] ?? zero, row.counts);
    }
    expect(byStepAndVariant).toEqual(expected);

    const total = counts({
      jobs: 16,
      sent: 8,
      sentTracked: 8,
      skipped: 8,
      skippedBy: { cancelled: 2, 'no-consent': 2, suppressed: 2, 'held-out': 2 },
      delivered: 6,
      deliveredTracked: 6,
      opened: 4,
      clicked: 2,
      bounced: 1,
      complained: 1,
      unsubscribed: 1,
      converted: 1,
      orders: 2,
      revenue: { EUR: 50 },
      liftJourneys: 8,
      liftConversions: 2,
    });
    expect(result!.totals.counts).toEqual(total);
    expect(result!.totals.rates).toEqual({
      deliveryRate: 6 / 8,
      bounceRate: 1 / 8,
      openRate: 4 / 6,
      clickRate: 2 / 6,
      clickToOpenRate: 2 / 4,
      placedOrderRate: 1 / 6,
      revenuePerRecipient: { EUR: 8.3333 },
      optOutRate: 1 / 6,
      complaintRate: 1 / 6,
      gmailCeilingReached: true,
    });
    expect(result!.steps.map((s) => [s.stepId, s.counts.sent, s.counts.delivered])).toEqual([
      ['s1', 6, 5],
      ['s2', 2, 1],
    ]);
    expect(result!.variants.map((v) => [v.variant, v.counts.jobs, v.rates.openRate])).toEqual([
      ['a', 7, 3 / 4],
      ['b', 7, 1 / 2],
      ['holdout', 2, null],
    ]);
    expect(result!.days.reduce((sum, d) => add(sum, d.counts), zero)).toEqual(total);
    expect(result!.days).toHaveLength(3);

    expect(result!.lift).toEqual({
      recipients: { journeys: 6, conversions: 1, conversionRate: 1 / 6 },
      holdout: { journeys: 2, conversions: 1, conversionRate: 1 / 2 },
      notEnoughData: true,
      minimum: { journeysPerGroup: 100, conversions: 10 },
      difference: null,
      interval: null,
      relativeLift: null,
      significant: null,
    });
    expect(result!.variantLift.map((v) => [v.variant, v.recipients.journeys, v.recipients.conversions])).toEqual([
      ['a', 3, 1],
      ['b', 3, 0],
    ]);

    const table = await runCli(['report', 'results-test', '--since', '3d'], {
      TACTFUL_URL: app.url,
      TACTFUL_ADMIN_KEY: app.system.adminKey,
    });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('results-test — Results test');
    expect(table.stdout).toMatch(
      /^total\s+16\s+8\s+8\s+0\s+0\s+6\s+4\s+2\s+1\s+1\s+1\s+2\s+50\.00 EUR\s+66\.7%\s+33\.3%\s+16\.7%\s+8\.33 EUR\s+16\.7%\s+16\.7%$/m,
    );
    expect(table.stdout).toContain('open rate 66.7% and click rate 33.3% of 6 tracked recipients; 0 sent without tracking');
    expect(table.stdout).toContain('lift: not enough data');
    expect(table.stdout).toContain("at or over Gmail's 0.3% ceiling");
  });

  it('shows the same numbers on /admin/reports, with charts, in a browser', async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
      await page.goto(`${app.url}/admin/reports?campaign=results-test&since=7d`);
      await page.getByLabel('Admin key').fill(app.system.adminKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const section = page.locator('section[data-campaign="results-test"]');
      await section.waitFor();
      await page.screenshot({ path: artifactPath('console-reports.png'), fullPage: true });
      const metric = (name: string) => section.locator(`[data-metric="${name}"]`).innerText();
      const shown = Object.fromEntries(
        await Promise.all(
          [
            'sent',
            'delivered',
            'openRate',
            'clickRate',
            'placedOrderRate',
            'revenuePerRecipient',
            'optOutRate',
            'complaintRate',
            'liftRecipients',
            'liftHoldout',
          ].map(async (m) => [m, await metric(m)] as const),
        ),
      );
      expect(shown).toEqual({
        sent: '8',
        delivered: '6',
        openRate: '66.7%',
        clickRate: '33.3%',
        placedOrderRate: '16.7%',
        revenuePerRecipient: '€8.33',
        optOutRate: '16.7%',
        complaintRate: '16.67%',
        liftRecipients: '1 of 6',
        liftHoldout: '1 of 2',
      });
      await expect(metric('lift')).resolves.toContain('Not enough data');
      await expect(section.locator('.stat.alerting').innerText()).resolves.toContain("at or over Gmail's 0.3% ceiling");
      const reasons = await section
        .locator('tr[data-reason]')
        .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-reason'), r.querySelector('td.num')?.textContent]));
      expect(Object.fromEntries(reasons)).toEqual({ cancelled: '2', 'no-consent': '2', suppressed: '2', 'held-out': '2' });
      const variants = await section
        .locator('tr[data-row]')
        .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
      expect(variants).toEqual(
        expect.arrayContaining([
          ['a', '7', '4', '4', '75.0%', '25.0%', '25.0%', '25.0%'],
          ['holdout', '2', '0', '0', '—', '—', '—', '—'],
        ]),
      );
      // The charts are drawn: a funnel bar per stage and the daily bars.
      await expect(section.locator('svg[aria-label^="Funnel"] rect').count()).resolves.toBe(5);
      await expect(section.locator('svg[aria-label^="Delivered, opened"] rect').count()).resolves.toBeGreaterThan(3);

      // The campaign list shows the same headline numbers.
      await page.goto(`${app.url}/admin`);
      const row = page.locator('tr', { hasText: 'Results test' });
      await expect(row.locator('td.num').allInnerTexts()).resolves.toEqual(['8', '66.7%', '33.3%', '1', '16.7%']);
    } finally {
      await browser?.close();
    }
  });

  it('answers every campaign with results, and refuses a range it cannot read', async () => {
    const admin = { authorization: `Bearer ${app.system.adminKey}` };
    const all = await app.request('GET', '/admin/api/reports?since=3d', undefined, admin);
    expect(all.status).toBe(200);
    expect(all.body.campaigns.map((c: { campaignId: string }) => c.campaignId)).toEqual(
      expect.arrayContaining(['abandoned-cart', 'results-test']),
    );
    expect((await app.request('GET', '/admin/api/reports?since=yesterday', undefined, admin)).body).toEqual({
      error: { path: 'since', message: expect.stringContaining('7d') },
    });
    expect((await app.request('GET', '/admin/api/reports?campaign=NOT%20A%20CAMPAIGN', undefined, admin)).status).toBe(400);
    expect((await app.request('GET', '/admin/api/reports')).status).toBe(401);
  });
});

function add(a: FunnelCounts, b: FunnelCounts): FunnelCounts {
  const sum: FunnelCounts = { ...a, skippedBy: { ...a.skippedBy }, revenue: { ...a.revenue } };
  for (const key of [
    'jobs',
    'sent',
    'sentTracked',
    'failed',
    'skipped',
    'delivered',
    'deliveredTracked',
    'opened',
    'clicked',
    'bounced',
    'complained',
    'unsubscribed',
    'converted',
    'orders',
    'liftJourneys',
    'liftConversions',
  ] as const)
    sum[key] += b[key];
  for (const [reason, n] of Object.entries(b.skippedBy) as [keyof FunnelCounts['skippedBy'], number][])
    sum.skippedBy[reason] = (sum.skippedBy[reason] ?? 0) + n;
  for (const [currency, amount] of Object.entries(b.revenue)) sum.revenue[currency] = (sum.revenue[currency] ?? 0) + amount;
  return sum;
}
