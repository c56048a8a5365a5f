import { randomBytes } from 'node:crypto';
import { issueToken } from '../../functions/domain/consent/unsubscribeToken';
import { cartUpdated, remindedCustomer, startTestSystem, type StoredEmail, type TestSystem } from './support/harness';

/** The consent promise: unsubscribing takes one click and works at once; links leak nothing. */
describe('consent ledger, one-click unsubscribe and suppression', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  const reminded = (locale: 'en' | 'pl' | 'ru' = 'en') => remindedCustomer(app, { locale });

  const unsubscribeUrl = (email: StoredEmail) => /^<(.+)>$/.exec(email.headers!.find((h) => h.name === 'List-Unsubscribe')!.value)![1]!;
  const oneClick = (url: string, body = 'List-Unsubscribe=One-Click') =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });

  async function nextReminderOutcome(c: { id: string }) {
    await app.postEvents([cartUpdated(c, await app.now(), undefined, `cart-next-${Date.now()}`)]);
    await app.advance('P1D');
    const jobs = await app.system.customers.listJobs(c.id);
    return jobs.find((j) => j.journeyKey.startsWith('cart-next'))!;
  }

  it('the List-Unsubscribe URL of a real email unsubscribes with one POST, and the next reminder is not sent', async () => {
    const { c, email } = await reminded();
    const response = await oneClick(unsubscribeUrl(email));
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toMatch(/unsubscribed/i);
    const profile = await app.system.customers.getProfile(c.id);
    expect(profile?.consent.cart_reminders).toMatchObject({ status: 'withdrawn', source: 'one_click' });

    expect(await nextReminderOutcome(c)).toMatchObject({ status: 'skipped', reason: 'no-consent' });
    expect(await app.inbox(c.email)).toHaveLength(1);
  });

  it('is idempotent: a second one-click adds nothing to the ledger', async () => {
    const { c, email } = await reminded();
    expect((await oneClick(unsubscribeUrl(email))).status).toBe(200);
    expect((await oneClick(unsubscribeUrl(email))).status).toBe(200);
    const { consent } = await app.system.customers.listLedger(c.id);
    expect(consent.map((r) => [r.status, r.source])).toEqual([
      ['granted', 'checkout'],
      ['withdrawn', 'one_click'],
    ]);
  });

  it('GET of the unsubscribe or preference link changes nothing (mail scanners prefetch links)', async () => {
    const { c, email } = await reminded('pl');
    const url = unsubscribeUrl(email);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="pl">');
    expect(html).toContain('Wypisz mnie z przypomnień o koszyku');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    await fetch(url.replace('/u/', '/preferences/'));
    expect((await app.system.customers.getProfile(c.id))?.consent.cart_reminders?.status).toBe('granted');
    expect((await app.system.customers.listLedger(c.id)).consent).toHaveLength(1);
  });

  it('refuses forged, truncated and re-signed tokens with a plain page that leaks nothing', async () => {
    const { c, email } = await reminded();
    const url = unsubscribeUrl(email);
    const token = url.split('/u/')[1]!;
    const [payload, signature] = token.split('.') as [string, string];
    const otherPayload = Buffer.from(JSON.stringify({ c: 'someone-else', s: 'all', t: Math.floor(Date.now() / 1000) })).toString(
      'base64url',
    );
    const resigned = issueToken({ customerId: c.id, scope: 'all', issuedAt: Math.floor(Date.now() / 1000) }, randomBytes(32));
    const forged = [`${otherPayload}.${signature}`, token.slice(0, -3), `${payload}.${'A'.repeat(43)}`, resigned, 'nonsense', `${payload}`];
    for (const bad of forged) {
      for (const path of [`/u/${bad}`, `/preferences/${bad}`]) {
        const get = await fetch(`${app.url}${path}`);
        expect(get.status).toBe(404);
        const body = await get.text();
        expect(body).not.toContain(c.id);
        expect(body).not.toContain(c.email);
      }
      expect((await oneClick(`${app.url}/u/${bad}`)).status).toBe(404);
    }
    expect((await app.system.customers.getProfile(c.id))?.consent.cart_reminders?.status).toBe('granted');
  });

  it('refuses preference-center posts without the page’s CSRF token or from another site', async () => {
    const { c, email } = await reminded();
    const prefs = unsubscribeUrl(email).replace('/u/', '/preferences/');
    const noToken = await fetch(prefs, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=unsubscribe-all',
      redirect: 'manual',
    });
    expect(noToken.status).toBe(403);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(prefs)).text())![1]!;
    const crossSite = await fetch(prefs, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      body: `action=unsubscribe-all&csrf=${csrf}`,
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
    expect((await app.system.customers.getProfile(c.id))?.consent.cart_reminders?.status).toBe('granted');
    const sameSite = await fetch(prefs, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `action=unsubscribe-all&csrf=${csrf}`,
      redirect: 'manual',
    });
    expect(sameSite.status).toBe(303);
    const profile = await app.system.customers.getProfile(c.id);
    expect(Object.values(profile!.consent).every((s) => s?.status === 'withdrawn')).toBe(true);
  });

  it('keeps every change in the ledger with its source', async () => {
    const { c, email } = await reminded();
    const prefs = unsubscribeUrl(email).replace('/u/', '/preferences/');
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(prefs)).text())![1]!;
    await fetch(prefs, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `csrf=${csrf}&action=save&topics-shown=1&topic=cart_reminders&topic=newsletter&frequency=weekly&personalization=basic`,
      redirect: 'manual',
    });
    await oneClick(unsubscribeUrl(email));
    const { consent, preferences } = await app.system.customers.listLedger(c.id);
    expect(consent.map((r) => [r.topic, r.status, r.source])).toEqual([
      ['cart_reminders', 'granted', 'checkout'],
      ['newsletter', 'granted', 'preference_center'],
      ['cart_reminders', 'withdrawn', 'one_click'],
    ]);
    expect(consent[1]).toMatchObject({ policyVersion: '2026-01', textShown: expect.stringContaining('newsletter') });
    expect(preferences).toEqual([expect.objectContaining({ field: 'frequency', from: 'any', to: 'weekly', source: 'preference_center' })]);
  });

  it('suppresses a hard-bounced address for all mail, with the reason recorded', async () => {
    const { c, email } = await reminded();
    const bounce = {
      eventType: 'Bounce',
      mail: { messageId: email.messageId, destination: [c.email], tags: { customer: [Buffer.from(c.id).toString('base64url')] } },
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: c.email }] },
    };
    const fed = await app.request('POST', '/dev/ses-events', bounce);
    expect(fed.body).toEqual({ results: ['suppressed'] });
    expect((await app.system.customers.getProfile(c.id))?.suppression).toMatchObject({ reason: 'hard-bounce', blocksTransactional: true });
    expect(await nextReminderOutcome(c)).toMatchObject({ status: 'skipped', reason: 'suppressed', reasonDetail: 'hard-bounce' });
  });

  it('a complaint suppresses marketing and withdraws every marketing consent', async () => {
    const { c, email } = await reminded();
    const complaint = {
      eventType: 'Complaint',
      mail: { messageId: email.messageId, destination: [c.email], tags: { customer: [Buffer.from(c.id).toString('base64url')] } },
      complaint: { complainedRecipients: [{ emailAddress: c.email }] },
    };
    expect((await app.request('POST', '/dev/ses-events', complaint)).body).toEqual({ results: ['suppressed'] });
    const profile = await app.system.customers.getProfile(c.id);
    expect(profile?.suppression).toMatchObject({ reason: 'complaint', blocksTransactional: false });
    const { consent } = await app.system.customers.listLedger(c.id);
    expect(
      consent
        .filter((r) => r.source === 'complaint')
        .map((r) => r.topic)
        .sort(),
    ).toEqual(['cart_reminders', 'loyalty', 'newsletter', 'recommendations']);
    expect((await app.request('POST', '/dev/ses-events', { eventType: 'Complaint' })).status).toBe(400);
  });
});
