import { DateTime } from 'luxon';
import { runCli, startTestSystem, type TestSystem } from './support/harness';
import { adminRequest, loyaltyMember, saveSegment, status } from './support/broadcasts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The broadcasts API as the contract fixes it: answers, field-level refusals, roles, the change log, test sends, the CLI. */
describe('the broadcasts API', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
    await saveSegment(app, 'gold', [{ fact: 'loyalty.tier', op: 'eq', value: 'gold' }], 'Gold members');
  });
  afterAll(() => app.stop());

  const post = (body: unknown) => adminRequest(app, 'POST', '/admin/api/broadcasts', body);
  const tomorrow = async () =>
    DateTime.fromISO(await app.now(), { zone: 'Europe/Warsaw' })
      .plus({ days: 1 })
      .toISODate()!;
  const valid = async (id: string) => ({
    id,
    name: 'Loyalty offer',
    template: 'loyalty-offer',
    topic: 'loyalty',
    segment: 'gold',
    sendAt: { localTime: '10:00', date: await tomorrow() },
  });

  it('schedules a broadcast (201) and refuses, naming the field, what cannot be sent as asked', async () => {
    const created = await post(await valid('api-offer'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'api-offer', state: 'scheduled' });
    expect(await status(app, 'api-offer')).toMatchObject({
      id: 'api-offer',
      state: 'scheduled',
      audience: 0,
      sent: 0,
      skipped: 0,
      skippedBy: {},
      heldOut: 0,
    });
    expect((await post(await valid('api-offer'))).status).toBe(409);

    const base = await valid('api-bad');
    const yesterday = DateTime.fromISO(await app.now(), { zone: 'Europe/Warsaw' })
      .minus({ days: 1 })
      .toISODate()!;
    const refusals: [unknown, string, RegExp][] = [
      [{ ...base, template: 'no-such-template' }, 'template', /no published template named "no-such-template"/],
      [{ ...base, segment: 'no-such-segment' }, 'segment', /no segment named "no-such-segment"/],
      [{ ...base, topic: 'gossip' }, 'topic', /must be one of cart_reminders, loyalty/],
      [{ ...base, sendAt: { localTime: '10:00', date: yesterday } }, 'sendAt.date', /is in the past \(today is .* in Europe\/Warsaw\)/],
      [{ ...base, sendAt: '2020-01-01T10:00:00Z' }, 'sendAt', /is in the past/],
      [{ ...base, sendAt: { localTime: '25:00', date: await tomorrow() } }, 'sendAt.localTime', /must be a time of day/],
      [{ ...base, sendAt: 'next tuesday' }, 'sendAt', /ISO-8601 instant/],
      [{ ...base, id: 'win-back' }, 'id', /a campaign is named "win-back"/],
      [{ ...base, throttlePerSecond: 0 }, 'throttlePerSecond', /./],
      [{ ...base, surprise: 1 }, '(body)', /surprise/],
    ];
    for (const [body, path, message] of refusals) {
      const refused = await post(body);
      expect({ status: refused.status, path: refused.body.error?.path }).toEqual({ status: 400, path });
      expect(refused.body.error.message).toMatch(message);
    }
  });

  it('lets publishers schedule and cancel, editors test-send, and notes each in the change log', async () => {
    const editor = { authorization: `Bearer ${app.system.editorKey}` };
    const byEditor = await app.request('POST', '/admin/api/broadcasts', await valid('editor-offer'), editor);
    expect(byEditor.status).toBe(403);
    expect(byEditor.body.error.message).toContain('needs the publisher role');
    expect((await post(await valid('roles-offer'))).status).toBe(201);
    expect((await app.request('POST', '/admin/api/broadcasts/roles-offer/cancel', undefined, editor)).status).toBe(403);

    // An address no other test file writes to: the local SES inbox is shared by every integration test.
    const sent = await app.request(
      'POST',
      '/admin/api/broadcasts/roles-offer/test-send',
      { to: 'api-marketer@example.com', locale: 'pl' },
      editor,
    );
    expect(sent.status).toBe(202);
    const [test] = await app.inbox('api-marketer@example.com');
    expect(test!.subject).toBe('[Test] Ada, oferta miesiąca dla poziomu gold');
    expect(
      (await app.request('POST', '/admin/api/broadcasts/roles-offer/test-send', { to: 'not an address' }, editor)).body.error.path,
    ).toBe('to');

    const cancelled = await adminRequest(app, 'POST', '/admin/api/broadcasts/roles-offer/cancel');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ id: 'roles-offer', state: 'cancelled', notSent: 0 });
    expect((await status(app, 'roles-offer')).state).toBe('cancelled');
    expect((await adminRequest(app, 'GET', '/admin/api/broadcasts/nothing-here')).status).toBe(404);

    const changes = (await adminRequest(app, 'GET', '/admin/api/changes')).body.changes.filter(
      (c: { subject: string }) => c.subject === 'broadcast:roles-offer',
    );
    expect(changes.map((c: { action: string; actor: string }) => [c.action, c.actor])).toEqual([
      ['broadcast-cancelled', 'admin-key'],
      ['test-send', 'editor-key'],
      ['broadcast-created', 'admin-key'],
    ]);
    expect(changes[2].summary).toContain('to segment Gold members (loyalty tier is gold) at 10:00 on');
  });

  it('reports a sent broadcast like a campaign, holdout included', async () => {
    const members = await Promise.all(Array.from({ length: 6 }, () => loyaltyMember(app, { country: 'EE' })));
    await app.advance('PT1M');
    await saveSegment(app, 'estonia', [{ fact: 'profile.country', op: 'eq', value: 'EE' }]);
    const sendAt = new Date(Date.parse(await app.now()) + 60_000).toISOString();
    const created = await post({ ...(await valid('estonia-offer')), segment: 'estonia', sendAt, holdout: 0.5 });
    expect(created.status).toBe(201);
    await app.advance('PT2M');
    const done = await status(app, 'estonia-offer');
    expect(done).toMatchObject({ state: 'done', audience: 6, skipped: 0 });
    expect(done.sent + done.heldOut).toBe(6);
    expect(done.heldOut).toBeGreaterThan(0);
    const report = await adminRequest(app, 'GET', '/admin/api/reports?campaign=estonia-offer');
    const [row] = report.body.campaigns;
    expect(row).toMatchObject({ campaignId: 'estonia-offer', name: 'Loyalty offer' });
    expect(row.totals.counts.sent).toBe(done.sent);
    expect(row.variants.map((v: { variant: string }) => v.variant)).toEqual(['default', 'holdout']);
    expect(row.lift).toBeDefined();
    expect(members).toHaveLength(6);
  });

  it('creates, reads and cancels from the command line', async () => {
    const cli = (...args: string[]) => runCli(args, { TACTFUL_URL: app.url, TACTFUL_ADMIN_KEY: app.system.adminKey });
    const file = join(mkdtempSync(join(tmpdir(), 'tactful-broadcast-')), 'offer.json');
    writeFileSync(file, JSON.stringify(await valid('cli-offer')));
    const created = await cli('broadcasts', 'create', file);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('broadcast cli-offer scheduled');
    const shown = await cli('broadcasts', 'status', 'cli-offer');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('cli-offer: scheduled');
    const cancelled = await cli('broadcasts', 'cancel', 'cli-offer');
    expect(cancelled.stdout).toContain('broadcast cli-offer cancelled');
    writeFileSync(file, JSON.stringify({ ...(await valid('cli-bad')), segment: 'nope' }));
    const refused = await cli('broadcasts', 'create', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('segment: no segment named "nope"');
  });
});
