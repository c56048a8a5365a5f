import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { seriousViolationLines } from './support/axe';
import { artifactPath, useSystemAndBrowser } from './support/browser';
import { type TestSystem } from './support/harness';
import { shopify, shopifyCustomer } from './support/platforms';

/** A shop owner on the console's Integrations page: URLs, secrets, deliveries, keys. */
describe('Integrations page in a browser', () => {
  let app: TestSystem;
  let browser: Browser;
  useSystemAndBrowser((a, b) => ([app, browser] = [a, b]));

  it('shows each source’s URL, its secret and last deliveries without personal data; keys are created once and revoked', async () => {
    await shopify(app, 'customers/create', shopifyCustomer(4242, 'owner-4242@example.com', await app.now()));
    await shopify(app, 'customers/create', { ...shopifyCustomer(4243, 'not-an-address', await app.now()) });
    await app.postEvents([
      { id: 'bad-1', type: 'cart.updated', customerId: 'c-1', occurredAt: await app.now(), data: { items: [], cartUrl: 'ftp://x' } },
      { id: 'ok-1', type: 'preferences.changed', customerId: 'c-1', occurredAt: await app.now(), data: { frequency: 'weekly' } },
    ]);

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    await page.goto(`${app.url}/admin/integrations`);
    await page.getByLabel('Admin key').fill(app.system.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Integrations', exact: true }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain(`${app.url}/integrations/shopify`);
    expect(text).toContain(`${app.url}/integrations/woocommerce`);
    expect(text).toContain(`${app.url}/v1/batch`);
    expect(text).toContain('the development default');
    expect(text).toContain('1 × customer.upserted');
    expect(text).toContain('email must be an email address');
    for (const personal of ['owner-4242@example.com', 'not-an-address', 'Norman', '555-625-1199']) expect(text).not.toContain(personal);
    expect(await seriousViolationLines(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('console-integrations.png'), fullPage: true });

    await page.getByLabel('Name of the new key').fill('erp');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByRole('textbox', { name: 'Key erp' }).inputValue();
    expect(key).toMatch(/^tk_/);
    expect(
      (
        await app.postEvents(
          [{ id: 'via-erp', type: 'preferences.changed', customerId: 'c-2', occurredAt: await app.now(), data: { frequency: 'weekly' } }],
          { 'x-api-key': key },
        )
      ).status,
    ).toBe(202);
    await page.goto(`${app.url}/admin/integrations`);
    expect(await page.locator('main').innerText()).not.toContain(key);
    await page.getByRole('button', { name: 'Revoke key erp' }).click();
    await page.getByText('Key revoked').waitFor();
    expect(
      (
        await app.postEvents(
          [
            {
              id: 'via-erp-2',
              type: 'preferences.changed',
              customerId: 'c-2',
              occurredAt: await app.now(),
              data: { frequency: 'monthly' },
            },
          ],
          { 'x-api-key': key },
        )
      ).status,
    ).toBe(401);

    // Shopify's customers/data_request: the export is a click away on this page, and its download is audited.
    await shopify(app, 'customers/data_request', {
      shop_domain: 'demo-shop.myshopify.com',
      customer: { id: 4242, email: 'owner-4242@example.com' },
      data_request: { id: 1 },
    });
    await page.goto(`${app.url}/admin/integrations`);
    expect(await seriousViolationLines(page)).toEqual([]);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download the export of 4242' }).click();
    const exported = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { format: string; customerId: string };
    expect(exported).toMatchObject({ format: 'tactful-export/1', customerId: '4242' });
    expect(
      (await app.system.customers.auditTrail((await app.now()).slice(0, 10))).some(
        (a) => a['action'] === 'export' && a['via'] === 'console_data_request',
      ),
    ).toBe(true);

    await page.getByRole('link', { name: 'Refused events of the last 7 days' }).click();
    await page.getByRole('heading', { name: 'Refused events' }).waitFor();
    const refused = await page.locator('main').innerText();
    expect(refused).toContain('event bad-1');
    expect(refused).toContain('data.cartUrl must be an http(s) URL');
    expect(refused).toContain('default');
    expect(await seriousViolationLines(page)).toEqual([]);
  });
});
