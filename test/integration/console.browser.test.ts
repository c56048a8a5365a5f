import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { templatesDir } from '../../functions/publishing/templateSource';
import { CognitoSignIn } from '../../functions/adapters/auth/cognitoSignIn';
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

    await page.getByLabel('Language').selectOption('ru');
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
    await app.postEvents([
      {
        id: `cart-${Date.now()}`,
        type: 'cart.updated',
        customerId: c.id,
        occurredAt: await app.now(),
        data: {
          cartId: 'c1',
          cartUrl: 'https://shop.example.com/cart',
          items: [{ sku: 'A', name: 'Kubek', price: 10, currency: 'PLN', qty: 1 }],
        },
      },
    ]);
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

/**
 * On AWS people sign in with their own Cognito accounts. The same flow against a stand-in identity
 * provider on another site (localhost vs 127.0.0.1): authorization code with PKCE, a signed ID token
 * verified against the pool's keys, and a session cookie that survives the cross-site redirect.
 */
describe('console sign-in through an identity provider', () => {
  const userPoolId = 'eu-central-1_Test123';
  const clientId = 'console-client';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
  let idp: Server;
  let idpUrl: string;
  let app: TestSystem;
  let browser: Browser;
  const seen: { challenge?: string; verifier?: string; tamper?: boolean; logoutClient?: string } = {};

  function idToken(): string {
    const now = Math.floor(Date.now() / 1000);
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = {
      sub: 'marketer-1',
      iss: `https://cognito-idp.eu-central-1.amazonaws.com/${userPoolId}`,
      aud: clientId,
      token_use: 'id',
      iat: now,
      auth_time: now,
      exp: now + 300,
    };
    const body = `${part({ alg: 'RS256', kid: 'test-key', typ: 'JWT' })}.${part(claims)}`;
    const signature = sign('sha256', Buffer.from(body), privateKey).toString('base64url');
    return `${body}.${seen.tamper ? signature.slice(0, -4) + 'AAAA' : signature}`;
  }

  beforeAll(async () => {
    idp = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/logout') {
        seen.logoutClient = url.searchParams.get('client_id') ?? undefined;
        res.writeHead(302, { location: url.searchParams.get('logout_uri')! }).end();
        return;
      }
      if (url.pathname === '/oauth2/authorize') {
        // A person would sign in here; the stand-in says yes at once.
        seen.challenge = url.searchParams.get('code_challenge') ?? undefined;
        const back = new URL(url.searchParams.get('redirect_uri')!);
        back.search = new URLSearchParams({ code: 'the-code', state: url.searchParams.get('state')! }).toString();
        res.writeHead(302, { location: back.toString() }).end();
        return;
      }
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        seen.verifier = form.get('code_verifier') ?? undefined;
        const ok =
          form.get('code') === 'the-code' &&
          form.get('client_id') === clientId &&
          createHash('sha256')
            .update(seen.verifier ?? '')
            .digest('base64url') === seen.challenge;
        res
          .writeHead(ok ? 200 : 400, { 'content-type': 'application/json' })
          .end(JSON.stringify(ok ? { id_token: idToken() } : { error: 'invalid_grant' }));
      });
    });
    await new Promise<void>((ok) => idp.listen(0, '127.0.0.1', ok));
    idpUrl = `http://localhost:${(idp.address() as AddressInfo).port}`;
    const identityProvider = new CognitoSignIn({ domain: idpUrl, userPoolId, clientId, jwks: { keys: [jwk] } });
    [app, browser] = await Promise.all([startTestSystem({ consoleIdentityProvider: identityProvider }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await new Promise((ok) => idp?.close(ok));
  });

  it('signs a person in with PKCE and a verified ID token, and lands where they were going', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}/admin/templates`);
    await page.getByRole('heading', { name: 'Templates', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/templates');
    expect(seen.challenge).toBe(createHash('sha256').update(seen.verifier!).digest('base64url'));
    const cookies = await context.cookies();
    expect(cookies.map((c) => c.name)).toEqual(['tactful_admin']);
    // The admin key no longer signs people in; scripts keep the bearer key.
    const keyForm = await fetch(`${app.url}/admin/sign-in`, {
      method: 'POST',
      body: new URLSearchParams({ key: app.system.adminKey }),
      redirect: 'manual',
    });
    expect(keyForm.headers.get('set-cookie')).toBeNull();

    // Signing out ends the provider's session too, then says so.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Signed out' }).waitFor();
    expect(seen.logoutClient).toBe(clientId);
    await expect(context.cookies()).resolves.toEqual([]);
  });

  it('refuses an ID token whose signature does not verify, and a callback it did not start', async () => {
    seen.tamper = true;
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${app.url}/admin`);
      await page.getByRole('heading', { name: 'Sign-in failed' }).waitFor();
      await expect(page.getByText(/the ID token did not verify/).isVisible()).resolves.toBe(true);
    } finally {
      seen.tamper = false;
    }
    const forged = await fetch(`${app.url}/admin/auth/callback?code=the-code&state=guessed`);
    expect(forged.status).toBe(400);
  });
});
