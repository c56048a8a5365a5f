import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileTemplateSource, templatesDir } from '../../functions/publishing/templateSource';
import { publishAll } from '../../functions/publishing/publishAll';
import { cartUpdated, customerWithConsent, runCli, startTestSystem, type TestSystem } from './support/harness';

/** A marketer changes a template safely: publish a version, see it sent, roll back, and the next send is the old one. */
describe('template versions, preview and test sends', () => {
  let app: TestSystem;
  const admin = () => ({ authorization: `Bearer ${app.system.adminKey}` });
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  /** A copy of templates/ with the cart reminder's English subject changed. */
  function editedTemplates(subject: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'tactful-templates-'));
    cpSync(templatesDir(), join(dir, 'templates'), { recursive: true });
    const file = join(dir, 'templates', 'abandoned-cart', 'locales', 'en.json');
    const strings = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...strings, subject }, null, 2));
    return dir;
  }

  async function reminderSubject(): Promise<{ subject: string; version: string }> {
    const c = await customerWithConsent(app);
    await app.postEvents([cartUpdated(c, await app.now())]);
    await app.advance('PT1H');
    const [mail] = await app.inbox(c.email);
    const { body } = await app.request('GET', `/admin/api/customers/${c.id}/jobs`, undefined, admin());
    const sent = (body.log as { outcome: string; templateVersion: string }[]).find((e) => e.outcome === 'sent')!;
    return { subject: mail!.subject, version: sent.templateVersion };
  }

  it('publish → send uses the new version; rollback → the next send uses the old one', async () => {
    const original = app.system.published.templates.find((t) => t.name === 'abandoned-cart')!.version;
    expect(await reminderSubject()).toEqual({ subject: 'Ada, you left something in your cart', version: original });

    const dir = editedTemplates('{{customer.firstName}}, your cart is waiting');
    const edited = await compileTemplateSource(join(dir, 'templates'), 'abandoned-cart', await app.now());
    const publish = await app.request('POST', '/admin/api/templates/abandoned-cart/versions', edited, admin());
    expect(publish.status).toBe(201);
    expect(publish.body).toEqual({ name: 'abandoned-cart', version: edited.version, changed: true });
    expect(await reminderSubject()).toEqual({ subject: 'Ada, your cart is waiting', version: edited.version });

    const history = await app.request('GET', '/admin/api/templates/abandoned-cart', undefined, admin());
    expect(history.body.versions.map((v: { version: string; latest: boolean }) => [v.version, v.latest])).toEqual(
      expect.arrayContaining([
        [edited.version, true],
        [original, false],
      ]),
    );

    const rollback = await runCli(['templates', 'rollback', 'abandoned-cart', '--to', original], {
      TACTFUL_URL: app.url,
      TACTFUL_ADMIN_KEY: app.system.adminKey,
    });
    expect(rollback).toMatchObject({ code: 0, stdout: `abandoned-cart now sends version ${original}\n` });
    expect(await reminderSubject()).toEqual({ subject: 'Ada, you left something in your cart', version: original });

    // A routine deploy of the edited templates leaves the rollback in place.
    const redeploy = await publishAll(join(dir, 'templates'), app.system.catalogStore, await app.now());
    expect(redeploy.templates.find((t) => t.name === 'abandoned-cart')).toEqual({
      name: 'abandoned-cart',
      version: edited.version,
      outcome: 'held',
    });
    expect(await reminderSubject()).toEqual({ subject: 'Ada, you left something in your cart', version: original });
  });

  it('refuses to roll back to a version that was never published, and a body that names another template', async () => {
    const unknown = await app.request('POST', '/admin/api/templates/abandoned-cart/rollback', { version: '0123456789ab' }, admin());
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('template abandoned-cart has no version 0123456789ab');
    const published = await compileTemplateSource(templatesDir(), 'win-back', await app.now());
    const wrong = await app.request('POST', '/admin/api/templates/abandoned-cart/versions', published, admin());
    expect(wrong).toMatchObject({
      status: 400,
      body: { error: { path: 'name', message: 'is "win-back" but the path names "abandoned-cart"' } },
    });
    // Field names reach the code that copies declared fields: the API holds them to the rule publishing from files does.
    const reminder = await compileTemplateSource(templatesDir(), 'abandoned-cart', await app.now());
    const polluting = {
      ...reminder,
      fields: { ...reminder.fields, '__proto__.polluted': { type: 'string', level: 'none', required: false } },
    };
    const refused = await app.request('POST', '/admin/api/templates/abandoned-cart/versions', polluting, admin());
    expect(refused).toMatchObject({
      status: 400,
      body: { error: { path: expect.stringContaining('fields'), message: expect.stringContaining('dotted path of names') } },
    });
    const noKey = await app.request('POST', '/admin/api/templates/abandoned-cart/rollback', { version: '0123456789ab' });
    expect(noKey.status).toBe(401);
    // The API routes itself from the raw path, as behind API Gateway's single /admin/{proxy+} route.
    expect(await app.request('GET', '/admin/api/templates/abandoned-cart/rollback', undefined, admin())).toMatchObject({
      status: 405,
      body: { error: { path: '(method)' } },
    });
    expect(await app.request('GET', '/admin/api/nothing-here', undefined, admin())).toMatchObject({
      status: 404,
      body: { error: { path: '(path)' } },
    });
  });

  it('previews a sample in Polish and sends a test to the marketer, marked as a test', async () => {
    const preview = await app.request('POST', '/admin/api/templates/abandoned-cart/preview', { locale: 'pl', sample: 'default' }, admin());
    expect(preview.status).toBe(200);
    expect(preview.body.email.subject).toBe('Zofia, coś czeka w Twoim koszyku');
    expect(preview.body.email.text).toContain('czekają 3 produkty');

    const to = `marketer-${Date.now()}@shop.example.com`;
    const sent = await app.request(
      'POST',
      '/admin/api/templates/abandoned-cart/test-send',
      { to, locale: 'ru', sample: 'gold-member' },
      admin(),
    );
    expect(sent.status).toBe(202);
    const [mail] = await app.inbox(to);
    expect(mail?.subject).toBe('[Test] Ada, в вашей корзине остались товары');
    expect(mail?.body.text).toContain('5 товаров');

    const bad = await app.request('POST', '/admin/api/templates/abandoned-cart/test-send', { to: 'not-an-address', locale: 'pl' }, admin());
    expect(bad).toMatchObject({ status: 400, body: { error: { path: 'to' } } });
    const noSample = await app.request('POST', '/admin/api/templates/abandoned-cart/preview', { locale: 'pl', sample: 'nope' }, admin());
    expect(noSample).toMatchObject({
      status: 400,
      body: { error: { path: 'sample', message: 'template abandoned-cart has no sample "nope" (it has default, gold-member)' } },
    });
  });

  it('`templates preview --png` writes the email, its text and desktop and mobile screenshots', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tactful-preview-'));
    const out = join(dir, 'cart.html');
    const result = await runCli(
      ['templates', 'preview', 'abandoned-cart', '--locale', 'ru', '--sample', 'gold-member', '--out', out, '--png'],
      {},
      join(__dirname, '..', '..'),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('subject: Ada, в вашей корзине остались товары');
    expect(readFileSync(out, 'utf8')).toContain('Здравствуйте, Ada!');
    expect(readFileSync(join(dir, 'cart.txt'), 'utf8')).toMatch(/^Subject: Ada, в вашей корзине остались товары\n/);
    for (const shot of ['cart-desktop.png', 'cart-mobile.png']) expect(readFileSync(join(dir, shot)).subarray(1, 4).toString()).toBe('PNG');
  });

  it('`templates validate` fails on an undeclared variable, naming file and line', async () => {
    const dir = editedTemplates('{{customer.nickname}}, your cart');
    const result = await runCli(['templates', 'validate', 'abandoned-cart'], {}, dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/templates\/abandoned-cart\/locales\/en\.json:2 {2}error {2}undeclared variable "customer\.nickname"/);
    const publish = await runCli(['templates', 'publish', 'abandoned-cart'], { TACTFUL_URL: app.url }, dir);
    expect(publish.code).toBe(1);
    expect(publish.stderr).toContain('abandoned-cart was not published: fix the errors above');
  });
});
