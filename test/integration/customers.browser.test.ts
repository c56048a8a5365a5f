import type { Browser } from 'playwright-core';
import { artifactPath, useSystemAndBrowser } from './support/browser';
import { seriousViolationLines } from './support/axe';
import { cartUpdated, consentGranted, customerWithConsent, zoneWhereHourIs, type TestSystem } from './support/harness';

/** A marketer looks a customer up by address in a real browser and reads why an email was not sent. */
describe('the Customers page in a browser', () => {
  let app: TestSystem;
  let browser: Browser;
  useSystemAndBrowser((a, b) => ([app, browser] = [a, b]));

  it('finds a customer by exact address and tells their story in words, readable on a phone', async () => {
    const c = await customerWithConsent(app, { firstName: 'Anna', timezone: zoneWhereHourIs(12, await app.now()) });
    await app.postEvents([consentGranted(c, await app.now(), 'cart_reminders', 'withdrawn')]);
    await app.postEvents([cartUpdated(c, await app.now())]);
    await app.advance('PT1H');

    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    await page.goto(`${app.url}/admin/customers`);
    await page.getByLabel('Admin key').fill(app.system.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    expect(await seriousViolationLines(page)).toEqual([]);

    await page.getByLabel('Email address or customer id').fill(c.email);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.waitForURL(`${app.url}/admin/customers/${c.id}`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(`Anna (${c.id})`);
    await expect(page.locator('main').innerText()).resolves.toMatch(/not sent: Anna withdrew cart reminders on .+ Europe\/Warsaw/);
    await page.screenshot({ path: artifactPath('console-customer.png'), fullPage: true });
    expect(await seriousViolationLines(page)).toEqual([]);

    await page.setViewportSize({ width: 375, height: 800 });
    // No horizontal scrolling on a phone (string form: the test's tsconfig has no DOM types).
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
  });
});
