import { describeDueWork } from '../../functions/local/dueWorkReport';
import { cartUpdated, customerWithConsent, startTestSystem, type TestSystem, zoneWhereHourIs } from './support/harness';

/** `POST /dev/clock` says what the advance did, all of it, even while the background sweep runs. */
describe('POST /dev/clock', () => {
  describe('while a background sweep is busy', () => {
    let app: TestSystem;
    const slow = new Set<string>();
    let slowStarted: () => void = () => undefined;
    beforeAll(async () => {
      app = await startTestSystem({
        sweepIntervalMs: 5,
        // One customer's email takes a while: the background sweep that sends it is still busy when
        // /dev/clock arrives.
        wrapMailer: (mailer) => ({
          async send(email) {
            if (slow.has(email.to)) {
              slowStarted();
              await new Promise((r) => setTimeout(r, 1500));
            }
            return mailer.send(email);
          },
        }),
      });
    });
    afterAll(() => app.stop());

    it('counts the work its advance made due, none of it done behind its back', async () => {
      const busy = await customerWithConsent(app);
      slow.add(busy.email);
      await app.postEvents([cartUpdated(busy, await app.now())]);
      const started = new Promise<void>((ok) => (slowStarted = ok));
      // Due without /dev/clock: the background sweep picks it up and is busy sending it.
      app.system.clock.advance(3600_000);
      await started;
      const c = await customerWithConsent(app);
      await app.postEvents([cartUpdated(c, await app.now())]);
      const report = await app.advance('PT1H');
      expect(report).toMatchObject({ dispatched: 1, sent: 1, deferred: [], skipped: {}, failed: {} });
      expect(await app.inbox(c.email)).toHaveLength(1);
      expect(await app.inbox(busy.email)).toHaveLength(1);
    });
  });

  describe('with quiet hours', () => {
    let app: TestSystem;
    beforeAll(async () => {
      app = await startTestSystem({ quietHours: { start: '21:00', end: '08:00' } });
    });
    afterAll(() => app.stop());

    it('says that a reminder was held, until when and why, and what was skipped', async () => {
      // A fixed-offset zone where the reminder comes due at 23:xx local time, whenever this runs.
      const zone = zoneWhereHourIs(23, new Date(Date.parse(await app.now()) + 3600_000).toISOString());
      const held = await customerWithConsent(app, { timezone: zone });
      const unconsented = await customerWithConsent(app, { timezone: zone });
      const now = await app.now();
      await app.postEvents([
        cartUpdated(held, now),
        cartUpdated(unconsented, now),
        {
          id: `w-${unconsented.id}`,
          type: 'consent.changed',
          customerId: unconsented.id,
          occurredAt: now,
          data: { topic: 'cart_reminders', status: 'withdrawn', source: 'checkout', policyVersion: '2026-01' },
        },
      ]);
      const report = await app.advance('PT1H');
      const [job] = await app.system.customers.listJobs(held.id);
      expect(report).toMatchObject({ dispatched: 2, sent: 0, deferred: [{ reason: 'quiet-hours-deferred', until: job!.dueAt, count: 1 }] });
      // Consent is checked at send time: the second reminder came due and was skipped.
      expect(report.skipped).toEqual({ 'no-consent': 1 });
      expect(describeDueWork(report, zone)).toMatch(
        new RegExp(
          `^\\d{1,2} \\w{3}, 23:\\d\\d ${zone.replace('+', '\\+')}: sent 0 emails; ` +
            'held 1 until \\d{1,2} \\w{3}, 08:\\d\\d \\(quiet hours\\); skipped 1 \\(no consent for the topic\\)$',
        ),
      );
    });
  });
});
