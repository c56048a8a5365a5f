import { startTestSystem, type TestSystem } from './support/harness';

/** Versions read as who published what and why, not only as a hash or a number. */
describe('version authors and notes', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());
  const admin = () => ({ authorization: `Bearer ${app.system.adminKey}` });

  it('a template published from a draft keeps its publisher and note, shown in the console', async () => {
    const { body } = await app.request('GET', '/admin/api/templates/win-back/draft', undefined, admin());
    const parts = {
      ...body.parts,
      locales: { ...body.parts.locales, en: { ...body.parts.locales.en, subject: 'Come back, {{customer.firstName}}' } },
    };
    expect((await app.request('PUT', '/admin/api/templates/win-back/draft', { revision: body.revision, parts }, admin())).status).toBe(200);
    const tooLong = await app.request('POST', '/admin/api/templates/win-back/draft/publish', { note: 'x'.repeat(501) }, admin());
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body)).toContain('note');
    const published = await app.request('POST', '/admin/api/templates/win-back/draft/publish', { note: 'Warmer subject line' }, admin());
    expect(published.status).toBe(201);

    const history = await app.request('GET', '/admin/api/templates/win-back', undefined, admin());
    expect(history.body.versions[0]).toMatchObject({
      version: published.body.version,
      publishedBy: 'admin-key',
      note: 'Warmer subject line',
    });
    const page = await (await fetch(`${app.url}/admin/templates/win-back`, { headers: admin() })).text();
    expect(page).toContain('Warmer subject line');
    expect(page).toMatch(/<td>\d{1,2} [A-Z][a-z]{2}( \d{4})? at \d\d:\d\d Europe\/Warsaw<\/td>\s*<td>admin-key<\/td>/);
  });

  it('a campaign version keeps its note too', async () => {
    const { body } = await app.request('GET', '/admin/api/campaigns/win-back/draft', undefined, admin());
    const saved = await app.request(
      'PUT',
      '/admin/api/campaigns/win-back/draft',
      { revision: body.revision, parts: { ...body.parts, priority: 40 } },
      admin(),
    );
    expect(saved.status).toBe(200);
    expect(
      (await app.request('POST', '/admin/api/campaigns/win-back/draft/publish', { note: 'Lower priority than carts' }, admin())).status,
    ).toBe(201);
    const versions = await app.request('GET', '/admin/api/campaigns/win-back/versions', undefined, admin());
    expect(versions.body.versions[0]).toMatchObject({ publishedBy: 'admin-key', note: 'Lower priority than carts' });
  });
});
