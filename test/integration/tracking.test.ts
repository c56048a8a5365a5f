import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { formatReport } from '../../scripts/cli/report';
import {
  cartUpdated,
  consentGranted,
  customerUpserted,
  customerWithConsent,
  newCustomer,
  startTestSystem,
  type StoredEmail,
  type TestSystem,
} from './support/harness';

/**
 * Opens and clicks are tracked only for customers who allowed it (issue 21): every email says in its
 * log entry whether it was tracked, and goes through the SES configuration set that matches.
 */
describe('tracking only with consent', () => {
  let app: TestSystem;
  /** The configuration set of every SendEmail request, by recipient, as the SES client sent it. */
  const configurationSets = new Map<string, (string | undefined)[]>();
  beforeAll(async () => {
    app = await startTestSystem({
      // Three reminders within hours: the shop's caps are not what this test is about.
      capRules: [{ count: 100, windowMs: 24 * 3600 * 1000, label: 'test:100/PT24H' }],
      onSesClient: (client: SESv2Client) =>
        client.middlewareStack.add(
          (next) => async (args) => {
            const input = args.input as { ConfigurationSetName?: string; Destination?: { ToAddresses?: string[] } };
            for (const to of input.Destination?.ToAddresses ?? [])
              configurationSets.set(to, [...(configurationSets.get(to) ?? []), input.ConfigurationSetName]);
            return next(args);
          },
          { step: 'initialize', name: 'recordConfigurationSet' },
        ),
    });
  });
  afterAll(() => app.stop());

  const sentLog = async (customerId: string) => (await app.system.customers.listLog(customerId)).filter((e) => e.outcome === 'sent');
  const remind = async (c: { id: string }, cartId: string) => {
    await app.postEvents([cartUpdated(c, await app.now(), undefined, cartId)]);
    await app.advance('PT1H');
  };
  const preferencesLink = (email: StoredEmail): string => /href="([^"]*\/preferences\/[^"]+)"/.exec(email.body.html!)![1]!;

  it('without tracking consent an email is untracked; a grant makes the next tracked; the preference center switch stops it', async () => {
    const c = await customerWithConsent(app);
    await remind(c, 'cart-1');
    expect((await sentLog(c.id)).map((e) => e.tracking)).toEqual([false]);
    expect(configurationSets.get(c.email)).toEqual(['tactful-untracked']);
    // UTM parameters describe the campaign, not the person: they stay.
    const [first] = await app.inbox(c.email);
    expect(first!.body.text).toContain('utm_campaign=abandoned-cart');

    await app.postEvents([consentGranted(c, await app.now(), 'tracking')]);
    await remind(c, 'cart-2');
    expect((await sentLog(c.id)).map((e) => e.tracking)).toEqual([false, true]);
    expect(configurationSets.get(c.email)).toEqual(['tactful-untracked', 'tactful-tracked']);

    // The customer turns tracking off in the preference center (the switch left unchecked).
    const mail = await app.inbox(c.email);
    const page = preferencesLink(mail[mail.length - 1]!);
    const html = await (await fetch(page)).text();
    expect(html).toContain('Let us see when you open our emails and which links you click');
    expect(html).toMatch(/name="tracking" value="on"[^>]* checked/);
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const form = new URLSearchParams({ csrf, action: 'save', 'topics-shown': '1', topic: 'cart_reminders', 'tracking-shown': '1' });
    const saved = await fetch(page, {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(saved.status).toBe(303);
    const ledger = (await app.system.customers.listLedger(c.id)).consent.filter((r) => r.topic === 'tracking');
    expect(ledger.map((r) => [r.status, r.source])).toEqual([
      ['granted', 'checkout'],
      ['withdrawn', 'preference_center'],
    ]);
    expect(ledger[1]!.textShown).toContain('Let us see when you open our emails');

    await remind(c, 'cart-3');
    expect((await sentLog(c.id)).map((e) => e.tracking)).toEqual([false, true, false]);
    expect(configurationSets.get(c.email)).toEqual(['tactful-untracked', 'tactful-tracked', 'tactful-untracked']);

    // `customers jobs` (the admin API behind it) and the export show it per email.
    const jobs = await app.request('GET', `/admin/api/customers/${c.id}/jobs`, undefined, {
      authorization: `Bearer ${app.system.adminKey}`,
    });
    expect(jobs.body.log.filter((e: { outcome: string }) => e.outcome === 'sent').map((e: { tracking: boolean }) => e.tracking)).toEqual([
      false,
      true,
      false,
    ]);
    const exported = await app.request('GET', `/admin/api/customers/${c.id}/export`, undefined, {
      authorization: `Bearer ${app.system.adminKey}`,
    });
    const logged = exported.body.data.deliveryLog.records as { outcome: string; tracking: boolean }[];
    expect(logged.every((e) => typeof e.tracking === 'boolean')).toBe(true);
    expect(logged.filter((e) => e.outcome === 'sent').map((e) => e.tracking)).toEqual([false, true, false]);
  });

  it('the opt-out countries of the topics do not allow tracking; only TRACKING_OPT_OUT_COUNTRIES does', async () => {
    const optOut = await startTestSystem({ consentModel: { optOutCountries: ['PL'] } });
    const trackingOptOut = await startTestSystem({ trackingModel: { optOutCountries: ['PL'] } });
    try {
      for (const [system, tracked] of [
        [optOut, false],
        [trackingOptOut, true],
      ] as const) {
        const c = newCustomer();
        const now = await system.now();
        await system.postEvents([customerUpserted(c, now), consentGranted(c, now)]);
        await system.postEvents([cartUpdated(c, await system.now())]);
        await system.advance('PT1H');
        expect((await system.system.customers.listLog(c.id)).filter((e) => e.outcome === 'sent').map((e) => e.tracking)).toEqual([tracked]);
      }
    } finally {
      await Promise.all([optOut.stop(), trackingOptOut.stop()]);
    }
  });

  it('entries of emails not sent record tracking false', async () => {
    const c = newCustomer();
    const now = await app.now();
    await app.postEvents([customerUpserted(c, now), consentGranted(c, now, 'tracking')]);
    await remind(c, 'cart-x');
    const log = await app.system.customers.listLog(c.id);
    expect(log.map((e) => [e.outcome, e.reason, e.tracking])).toEqual([['skipped', 'no-consent', false]]);
  });

  it('reports count opens and clicks only among tracked recipients, and say of how many', async () => {
    const fresh = await startTestSystem();
    try {
      const tracked = await customerWithConsent(fresh);
      const untracked = await customerWithConsent(fresh);
      await fresh.postEvents([consentGranted(tracked, await fresh.now(), 'tracking')]);
      await fresh.postEvents([cartUpdated(tracked, await fresh.now()), cartUpdated(untracked, await fresh.now())]);
      await fresh.advance('PT1H');
      const events = [];
      for (const c of [tracked, untracked]) {
        const [email] = await fresh.inbox(c.email);
        // An open or click fed for the untracked email (SES could not have seen one) counts nothing.
        for (const eventType of ['Delivery', 'Open', 'Click']) events.push({ eventType, mail: { messageId: email!.messageId } });
      }
      expect((await fresh.request('POST', '/dev/ses-events', events)).status).toBe(200);
      const report = await fresh.request('GET', '/admin/api/reports?campaign=abandoned-cart', undefined, {
        authorization: `Bearer ${fresh.system.adminKey}`,
      });
      const totals = report.body.campaigns[0].totals;
      expect(totals.counts).toMatchObject({ sent: 2, sentTracked: 1, delivered: 2, deliveredTracked: 1, opened: 1, clicked: 1 });
      expect(totals.rates).toMatchObject({ openRate: 1, clickRate: 1, deliveryRate: 1 });
      expect(totals.tracking).toEqual({ trackedRecipients: 1, sentWithoutTracking: 1 });
      expect(formatReport(report.body)).toContain('open rate 100.0% and click rate 100.0% of 1 tracked recipient; 1 sent without tracking');
    } finally {
      await fresh.stop();
    }
  });
});
