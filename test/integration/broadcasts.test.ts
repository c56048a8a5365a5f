import { DateTime } from 'luxon';
import { cartUpdated, consentGranted, startTestSystem, zoneWhereHourIs, type TestSystem } from './support/harness';
import { advanceTo, createBroadcast, loyaltyMember, offers, saveSegment, status, type Member } from './support/broadcasts';

/**
 * A broadcast at 10:00 in each recipient's own zone, through the gate every email passes: consent at
 * send time, the frequency cap, quiet hours. The shop allows one marketing email a day here, and
 * quiet hours are 21:00–08:00.
 */
describe('a local-time broadcast', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem({
      capRules: [{ count: 1, windowMs: 24 * 3600_000, label: 'global:1/PT24H' }],
      quietHours: { start: '21:00', end: '08:00' },
    });
  });
  afterAll(() => app.stop());

  const tenOClock = (date: string, zone: string) => DateTime.fromISO(`${date}T10:00`, { zone }).toUTC().toISO()!;
  const minus = (iso: string, ms: number) => new Date(Date.parse(iso) - ms).toISOString();
  const sentAt = async (c: Member) =>
    (await app.system.customers.listLog(c.id)).filter((e) => e.campaignId === 'gold-10am' && e.outcome === 'sent').map((e) => e.at);

  it('reaches each zone at its own 10:00 and nobody before; consent and caps are checked when each zone starts', async () => {
    const tokyo = await loyaltyMember(app, { zone: 'Asia/Tokyo' });
    const warsaw = await loyaltyMember(app, { zone: 'Europe/Warsaw', locale: 'pl' });
    const quits = await loyaltyMember(app, { zone: 'Europe/Warsaw' });
    const newYork = await loyaltyMember(app, { zone: 'America/New_York', locale: 'ru' });
    const capped = await loyaltyMember(app, { zone: 'America/New_York' });
    const silver = await loyaltyMember(app, { zone: 'Europe/Warsaw', tier: 'silver' });
    // The loyalty flows greet new tiers at once: those emails go now, days before the broadcast.
    await app.advance('PT1M');
    await saveSegment(app, 'gold-3z', [{ fact: 'loyalty.tier', op: 'eq', value: 'gold' }], 'Gold members');
    const date = DateTime.fromISO(await app.now(), { zone: 'Europe/Warsaw' })
      .plus({ days: 2 })
      .toISODate()!;
    await createBroadcast(app, { id: 'gold-10am', name: 'Gold offer at ten', segment: 'gold-3z', sendAt: { localTime: '10:00', date } });
    expect((await status(app, 'gold-10am')).state).toBe('scheduled');
    // Between scheduling and sending: one member withdraws their consent to loyalty news.
    await app.postEvents([consentGranted(quits, await app.now(), 'loyalty', 'withdrawn')]);
    const everyone = [tokyo, warsaw, quits, newYork, capped, silver];
    const counts = async () => Promise.all(everyone.map(async (c) => (await offers(app, c)).length));

    const atTokyo = tenOClock(date, 'Asia/Tokyo');
    await advanceTo(app, minus(atTokyo, 60_000));
    expect(await counts()).toEqual([0, 0, 0, 0, 0, 0]);
    await advanceTo(app, atTokyo);
    expect(await counts()).toEqual([1, 0, 0, 0, 0, 0]);
    expect((await status(app, 'gold-10am')).state).toBe('sending');

    const atWarsaw = tenOClock(date, 'Europe/Warsaw');
    await advanceTo(app, minus(atWarsaw, 60_000));
    expect(await counts()).toEqual([1, 0, 0, 0, 0, 0]);
    await advanceTo(app, atWarsaw);
    expect(await counts()).toEqual([1, 1, 0, 0, 0, 0]);

    // Two hours before ten in New York the capped member leaves a cart: its reminder takes the day's one slot.
    const atNewYork = tenOClock(date, 'America/New_York');
    await advanceTo(app, minus(atNewYork, 2 * 3600_000));
    await app.postEvents([consentGranted(capped, await app.now(), 'cart_reminders'), cartUpdated(capped, await app.now())]);
    await advanceTo(app, minus(atNewYork, 60_000));
    expect((await app.inbox(capped.email)).filter((e) => /cart|basket/i.test(e.subject))).toHaveLength(1);
    expect(await counts()).toEqual([1, 1, 0, 0, 0, 0]);
    await advanceTo(app, atNewYork);
    expect(await counts()).toEqual([1, 1, 0, 1, 0, 0]);
    await app.advance('PT6H');
    expect(await counts()).toEqual([1, 1, 0, 1, 0, 0]);

    // Each at their own ten, to the minute of the sweep that found them due.
    for (const [c, zone] of [
      [tokyo, 'Asia/Tokyo'],
      [warsaw, 'Europe/Warsaw'],
      [newYork, 'America/New_York'],
    ] as const) {
      const [at] = await sentAt(c);
      expect(Date.parse(at!) - Date.parse(tenOClock(date, zone))).toBeGreaterThanOrEqual(0);
      expect(Date.parse(at!) - Date.parse(tenOClock(date, zone))).toBeLessThan(60_000);
    }
    const [email] = await offers(app, warsaw);
    expect(email!.subject).toBe('Ada, oferta miesiąca dla poziomu gold');
    const [english] = await offers(app, tokyo);
    expect(english!.body.text).toMatch(
      /You are getting this because you are a gold member at Demo Shop and agreed to loyalty news on \w+ \d{1,2}, \d{4}\./,
    );
    // The footer says why in each reader's language, with the day they agreed.
    expect(email!.body.text).toMatch(
      /Dostajesz tę wiadomość, bo należysz do poziomu gold w programie Demo Shop i zgadzasz się na wiadomości o nim \(od [^)]*\d{4}\)\./,
    );
    const [russian] = await offers(app, newYork);
    expect(russian!.body.text).toMatch(
      /Вы получили это письмо, потому что у вас уровень gold в программе Demo Shop и вы согласились получать её новости \([^)]+\)\./,
    );
    // Its "why" link names the broadcast's audience and its rule.
    const why = /\/why\/\S+/.exec(english!.body.text!)![0];
    const page = await fetch(`${app.url}${why}`);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('Gold offer at ten');
    expect(text).toContain('to the group “Gold members”, which you were in then. Who is in that group: loyalty tier is gold.');
    // In the reader's language: the Warsaw member reads Polish.
    const polishWhy = await (await fetch(`${app.url}${/\/why\/\S+/.exec(email!.body.text!)![0]}`)).text();
    expect(polishWhy).toContain('Kto należy do tej grupy: poziom w programie lojalnościowym: gold.');

    expect(await status(app, 'gold-10am')).toMatchObject({
      state: 'done',
      audience: 5,
      sent: 3,
      skipped: 2,
      skippedBy: { 'no-consent': 1, capped: 1 },
      heldOut: 0,
      queued: 0,
    });
  });
});

/** Quiet hours (21:00–08:00 here) hold a fixed-time broadcast to the morning, or skip it when it says so. */
describe('a fixed-time broadcast at night', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem({ quietHours: { start: '21:00', end: '08:00' } });
  });
  afterAll(() => app.stop());

  it('holds a fixed-time broadcast to the end of quiet hours, or skips it there when it says so', async () => {
    const now = await app.now();
    const zone = zoneWhereHourIs(23, now);
    const night = await loyaltyMember(app, { zone, country: 'IS' });
    await saveSegment(app, 'iceland', [{ fact: 'profile.country', op: 'eq', value: 'IS' }]);
    const sendAt = new Date(Date.parse(now) + 60_000).toISOString();
    await createBroadcast(app, { id: 'night-skip', name: 'Skipped at night', segment: 'iceland', sendAt, whenQuiet: 'skip' });
    await createBroadcast(app, { id: 'night-hold', name: 'Held at night', segment: 'iceland', sendAt });
    await app.advance('PT2M');
    expect(await offers(app, night)).toHaveLength(0);
    expect(await status(app, 'night-skip')).toMatchObject({ state: 'done', audience: 1, skippedBy: { 'quiet-hours': 1 } });
    expect(await status(app, 'night-hold')).toMatchObject({ state: 'sending', audience: 1, queued: 1, sent: 0 });

    // Quiet hours end at 08:00 there; the spread after them is under 20 minutes.
    const morning = DateTime.fromISO(now, { zone }).plus({ days: 1 }).set({ hour: 8, minute: 0, second: 0, millisecond: 0 });
    await advanceTo(app, morning.minus({ minutes: 1 }).toUTC().toISO()!);
    expect(await offers(app, night)).toHaveLength(0);
    await advanceTo(app, morning.plus({ minutes: 21 }).toUTC().toISO()!);
    expect(await offers(app, night)).toHaveLength(1);
    expect(await status(app, 'night-hold')).toMatchObject({ state: 'done', sent: 1, queued: 0 });
  });
});
