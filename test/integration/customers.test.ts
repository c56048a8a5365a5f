import {
  cartUpdated,
  consentGranted,
  customerUpserted,
  customerWithConsent,
  runCli,
  startTestSystem,
  zoneWhereHourIs,
  type TestSystem,
} from './support/harness';

/** The console's Customers page and its API: exact-address look-up only, audited, and a story in sentences. */

describe('looking a customer up', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem({ quietHours: { start: '21:00', end: '08:00' } });
  });
  afterAll(() => app.stop());

  const admin = (app: TestSystem) => ({ authorization: `Bearer ${app.system.adminKey}` });
  const lookup = (email: string) => app.request('GET', `/admin/api/customers?email=${encodeURIComponent(email)}`, undefined, admin(app));
  const auditToday = async () =>
    (await app.request('GET', '/admin/api/audit', undefined, admin(app))).body.entries as Record<string, unknown>[];
  const consolePage = async (path: string) => {
    const response = await fetch(`${app.url}${path}`, { headers: admin(app), redirect: 'manual' });
    return { status: response.status, text: await response.text(), location: response.headers.get('location') };
  };

  it('finds a customer by their exact address, whatever its case, and nobody by a part of it', async () => {
    const c = await customerWithConsent(app);
    expect((await lookup(c.email)).body).toEqual({ customers: [{ customerId: c.id }] });
    expect((await lookup(`  ${c.email.toUpperCase()} `)).body).toEqual({ customers: [{ customerId: c.id }] });
    expect((await lookup(c.email.replace('@', 'x@'))).body).toEqual({ customers: [] });
    const bad = await lookup('example.com');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('email');
  });

  it('the CLI finds a customer by address through the same audited API', async () => {
    const c = await customerWithConsent(app);
    const found = await runCli(['customers', 'find', c.email], { TACTFUL_URL: app.url, TACTFUL_ADMIN_KEY: app.system.adminKey });
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout)).toEqual({ customers: [{ customerId: c.id }] });
  });

  it('records every look-up and view in the audit log, with who looked and never the address', async () => {
    const c = await customerWithConsent(app);
    await lookup(c.email);
    await lookup('nobody-at-all@example.com');
    expect((await consolePage(`/admin/customers/${c.id}`)).status).toBe(200);
    const entries = await auditToday();
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'lookup', customerId: c.id, via: 'admin_api', actor: 'admin-key' }),
        expect.objectContaining({ action: 'lookup', customerId: '(nobody)', via: 'admin_api' }),
        expect.objectContaining({ action: 'view', customerId: c.id, via: 'console', actor: 'admin-key' }),
      ]),
    );
    expect(JSON.stringify(entries)).not.toContain('@example.com');
  });

  it('follows an address change, and forgets the address when the customer is erased', async () => {
    const c = await customerWithConsent(app);
    const moved = { ...c, email: `moved-${c.email}` };
    await app.postEvents([customerUpserted(moved, await app.now())]);
    expect((await lookup(c.email)).body.customers).toEqual([]);
    expect((await lookup(moved.email)).body.customers).toEqual([{ customerId: c.id }]);
    expect((await app.request('POST', `/admin/api/customers/${c.id}/erase`, undefined, admin(app))).status).toBe(200);
    expect((await lookup(moved.email)).body.customers).toEqual([]);
  });

  it('the console looks up by address or id through a form, and says when nobody has the address', async () => {
    const c = await customerWithConsent(app);
    const post = (q: string) =>
      fetch(`${app.url}/admin/customers`, {
        method: 'POST',
        headers: { ...admin(app), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ q }).toString(),
        redirect: 'manual',
      });
    const byEmail = await post(c.email);
    expect(byEmail.status).toBe(303);
    expect(byEmail.headers.get('location')).toBe(`/admin/customers/${c.id}`);
    expect((await post(c.id)).headers.get('location')).toBe(`/admin/customers/${c.id}`);
    const nobody = await post('not-a-customer@example.com');
    expect(nobody.status).toBe(400);
    expect(await nobody.text()).toContain('No customer has exactly that address');
    expect((await consolePage('/admin/customers/no-such-customer')).status).toBe(404);
  });

  it('tells what happened in words: a withdrawal that stopped an email, quiet hours that held one', async () => {
    // Europe/Warsaw is the harness's zone: the withdrawal is the one thing here whose hour does not matter.
    const c = await customerWithConsent(app, { firstName: 'Anna', timezone: zoneWhereHourIs(12, await app.now()) });
    await app.postEvents([consentGranted(c, await app.now(), 'cart_reminders', 'withdrawn')]);
    await app.postEvents([cartUpdated(c, await app.now())]);
    await app.advance('PT1H');
    const { text } = await consolePage(`/admin/customers/${c.id}`);
    expect(text).toMatch(/not sent: Anna withdrew cart reminders on \d{1,2} [A-Z][a-z]{2}( \d{4})? at \d\d:\d\d Europe\/Warsaw/);
    expect(text).toContain('withdrew cart reminders');
    expect(text).toContain('c•');
    expect(text).not.toContain(c.email);

    // A fixed-offset zone where the reminder comes due at 23:xx local time, whenever this runs.
    const zone = zoneWhereHourIs(23, new Date(Date.parse(await app.now()) + 3600_000).toISOString());
    const night = await customerWithConsent(app, { timezone: zone });
    await app.postEvents([cartUpdated(night, await app.now())]);
    await app.advance('PT1H');
    const held = await consolePage(`/admin/customers/${night.id}`);
    const escaped = zone.replace(/[+/]/g, (ch) => `\\${ch}`);
    expect(held.text).toMatch(new RegExp(`held: quiet hours in ${escaped} until (\\d{1,2} [A-Z][a-z]{2} at )?08:\\d\\d ${escaped}`));
  });
});
