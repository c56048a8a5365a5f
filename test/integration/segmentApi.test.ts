import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consentGranted, customerUpserted, eventId, newCustomer, runCli, startTestSystem, type TestSystem } from './support/harness';

/** PUT /admin/api/segments/{id}, its preview, roles, the change log and `npx tactful segments`. */
describe('the segments API and CLI', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const admin = (method: string, path: string, body?: unknown) => app.request(method, path, body, as(app.system.adminKey));
  const cli = (...args: string[]) => runCli(args, { TACTFUL_URL: app.url, TACTFUL_ADMIN_KEY: app.system.adminKey });
  const gold = {
    id: 'gold-api',
    name: 'Gold members',
    match: 'all',
    conditions: [
      { fact: 'loyalty.tier', op: 'eq', value: 'gold' },
      { fact: 'consent.loyalty', op: 'eq', value: 'granted' },
    ],
  };

  it('saves a valid segment, names the field of an invalid one, and previews who matches now', async () => {
    const now = await app.now();
    const members = [newCustomer(), newCustomer()];
    const other = newCustomer();
    const tier = (c: { id: string }, t: string) => ({
      id: eventId('lp'),
      type: 'loyalty.points_changed',
      customerId: c.id,
      occurredAt: now,
      data: { points: 500, tier: t },
    });
    await app.postEvents([
      ...members.flatMap((c) => [customerUpserted(c, now), consentGranted(c, now, 'loyalty'), tier(c, 'gold')]),
      customerUpserted(other, now),
      tier(other, 'gold'),
    ]);

    const saved = await admin('PUT', '/admin/api/segments/gold-api', gold);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ id: 'gold-api', validation: { ok: true, errors: [] } });
    expect(saved.body.description).toBe('all of: loyalty tier is gold; consent to loyalty is granted');

    const bad = await admin('PUT', '/admin/api/segments/gold-api', {
      ...gold,
      conditions: [{ fact: 'loyalty.tier', op: 'within', value: 'P1D' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({
      path: 'conditions[0].op',
      message: '"within" does not apply to loyalty.tier; use one of eq, ne, in, exists',
    });
    const unknownFact = await admin('PUT', '/admin/api/segments/gold-api', {
      ...gold,
      conditions: [{ fact: 'profile.shoeSize', op: 'eq', value: 1 }],
    });
    expect(unknownFact.body.error.path).toBe('conditions[0].fact');
    const otherId = await admin('PUT', '/admin/api/segments/gold-api', { ...gold, id: 'silver' });
    expect(otherId.body.error).toEqual({ path: 'id', message: 'is "silver" but the path names "gold-api"' });

    const preview = await admin('GET', '/admin/api/segments/gold-api/preview');
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(2);
    expect(preview.body.sample.map((s: { customerId: string }) => s.customerId).sort()).toEqual(members.map((c) => c.id).sort());
    expect(preview.body.sample[0].matched.map((m: { text: string }) => m.text)).toEqual([
      'loyalty tier is gold',
      'consent to loyalty is granted',
    ]);
    expect((await admin('GET', '/admin/api/segments/nobody/preview')).status).toBe(404);

    const changes = await admin('GET', '/admin/api/changes');
    expect(changes.body.changes[0]).toMatchObject({ action: 'segment-saved', subject: 'segment:gold-api', actor: 'admin-key' });
  });

  it('lets editors save segments; without a key nobody reads them', async () => {
    const editor = await app.request('PUT', '/admin/api/segments/editors', { ...gold, id: 'editors' }, as(app.system.editorKey));
    expect(editor.status).toBe(200);
    expect((await app.request('GET', '/admin/api/segments/editors', undefined, {})).status).toBe(401);
  });

  it('puts a segment from a file and previews it from the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tactful-segment-'));
    const file = join(dir, 'gold.json');
    writeFileSync(file, JSON.stringify({ ...gold, id: 'gold-cli' }));
    const put = await cli('segments', 'put', file);
    expect(put.code).toBe(0);
    expect(put.stdout).toContain('segment gold-cli saved: all of: loyalty tier is gold; consent to loyalty is granted');
    const preview = await cli('segments', 'preview', 'gold-cli');
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/segment gold-cli: \d+ customers? match/);

    writeFileSync(file, JSON.stringify({ ...gold, id: 'gold-cli', match: 'most' }));
    const refused = await cli('segments', 'put', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('match: must be "all" or "any"');
  });
});
