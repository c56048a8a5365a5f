import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { templatesDir } from '../../functions/publishing/templateSource';
import { artifactPath, launchBrowser } from './support/browser';
import { customerWithConsent, startTestSystem, type TestSystem } from './support/harness';

/** A marketer in a real browser: signs in, checks a template, previews it, publishes, rolls back, tests, simulates. */
describe('web console in a browser', () => {
  let app: TestSystem;
  let browser: Browser;
  let root: string;
  beforeAll(async () => {
    // The console publishes the working copy: give it its own copy of templates/ to edit.
    root = mkdtempSync(join(tmpdir(), 'tactful-console-'));
    cpSync(templatesDir(), join(root, 'templates'), { recursive: true });
    [app, browser] = await Promise.all([startTestSystem({ templatesRoot: root }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function signedIn(): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    await page.goto(`${app.url}/admin/templates/abandoned-cart?locale=pl`);
    await page.getByLabel('Admin key').fill(app.system.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'abandoned-cart', exact: true }).waitFor();
    return page;
  }

  it('sends people without a session to sign in, refuses a wrong key, and signs in with an HttpOnly, SameSite=Strict cookie', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}/admin/templates`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    await page.getByLabel('Admin key').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That is not the admin key.').waitFor();
    await page.screenshot({ path: artifactPath('console-sign-in.png') });

    await page.getByLabel('Admin key').fill(app.system.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Templates', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/templates');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'tactful_admin', httpOnly: true, sameSite: 'Strict', path: '/admin' });

    // Scripts use the bearer key instead of a cookie.
    const api = await fetch(`${app.url}/admin/templates`, { headers: { authorization: `Bearer ${app.system.adminKey}` } });
    expect(api.status).toBe(200);
    // A form post with the cookie but without the page's token is refused (CSRF).
    const forged = await fetch(`${app.url}/admin/templates/abandoned-cart/rollback`, {
      method: 'POST',
      headers: { cookie: `${cookie!.name}=${cookie!.value}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ version: '0123456789ab' }),
    });
    expect(forged.status).toBe(403);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${app.url}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
  });

  it('shows validation and a live preview per locale and sample, in desktop and mobile frames', async () => {
    const page = await signedIn();
    await expect(page.locator('#validation').innerText()).resolves.toMatch(/valid\s+6 sample renders/);
    const desktop = page.frameLocator('iframe.desktop');
    await expect(desktop.getByText('w Twoim koszyku czekają 3 produkty.').isVisible()).resolves.toBe(true);
    await expect(page.frameLocator('iframe.mobile').getByText('Cześć Zofia,').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: artifactPath('console-template.png'), fullPage: true });

    await page.getByLabel('Locale').selectOption('ru');
    await page.getByLabel('Sample recipient').selectOption('gold-member');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.frameLocator('iframe.desktop').getByText('Здравствуйте, Ada!').waitFor();
    await expect(page.getByText('Subject: Ada, в вашей корзине остались товары').isVisible()).resolves.toBe(true);
  });

  it('publishes an edited working copy, rolls back to the earlier version, and sends a test', async () => {
    const page = await signedIn();
    const before = (await page.locator('#versions code').first().innerText()).trim();
    const file = join(root, 'templates', 'abandoned-cart', 'locales', 'pl.json');
    const strings = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...strings, subject: '{{customer.firstName}}, Twój koszyk czeka' }, null, 2));

    await page.reload();
    await expect(page.locator('#validation').innerText()).resolves.toContain('would publish as');
    await page.getByRole('button', { name: 'Publish working copy' }).click();
    await page.getByText('Published: the next sends use this version.').waitFor();
    await expect(page.getByText('Subject: Zofia, Twój koszyk czeka').isVisible()).resolves.toBe(true);
    await expect(page.locator('#versions tbody tr').count()).resolves.toBe(2);
    await page.screenshot({ path: artifactPath('console-published.png'), fullPage: true });

    const c = await customerWithConsent(app, { locale: 'pl', firstName: 'Ola' });
    await app.postEvents([{ id: `cart-${Date.now()}`, type: 'cart.updated', customerId: c.id, occurredAt: await app.now(), data: { cartId: 'c1', cartUrl: 'https://shop.example.com/cart', items: [{ sku: 'A', name: 'Kubek', price: 10, currency: 'PLN', qty: 1 }] } }]);
    await app.advance('PT1H');
    expect((await app.inbox(c.email))[0]?.subject).toBe('Ola, Twój koszyk czeka');

    await page.locator('#versions tr', { hasText: before }).getByRole('button', { name: 'Send this version' }).click();
    await page.getByText('Rolled back: the next sends use the version marked sending.').waitFor();
    await expect(page.locator('#versions tr', { hasText: before }).innerText()).resolves.toContain('sending (rolled back)');

    const to = `console-${Date.now()}@shop.example.com`;
    await page.getByLabel('Send this preview to').fill(to);
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByText('Test email sent.').waitFor();
    expect((await app.inbox(to))[0]?.subject).toBe('[Test] Zofia, coś czeka w Twoim koszyku');
  });

  it('lists campaigns and runs a simulation that sends nothing', async () => {
    const page = await signedIn();
    await page.goto(`${app.url}/admin`);
    await page.getByRole('link', { name: 'Abandoned cart series' }).click();
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await page.locator('#simulation').waitFor();
    await expect(page.locator('#simulation').innerText()).resolves.toMatch(/\d+\s*customers considered/);
    await page.screenshot({ path: artifactPath('console-simulation.png'), fullPage: true });
  });
});
