import type { Browser } from 'playwright-core';
import { useSystemAndBrowser } from './support/browser';
import { seriousViolationLines } from './support/axe';
import { customerWithConsent, type TestSystem } from './support/harness';

/** Every console page on a phone: no horizontal scrolling at 375 px, and axe finds nothing serious. */
describe('the console on a phone', () => {
  let app: TestSystem;
  let browser: Browser;
  useSystemAndBrowser((a, b) => ([app, browser] = [a, b]));

  it('reads without horizontal scrolling at 375 px on every page', async () => {
    const c = await customerWithConsent(app);
    const page = await (await browser.newContext({ viewport: { width: 375, height: 800 } })).newPage();
    await page.goto(`${app.url}/admin`);
    await page.getByLabel('Admin key').fill(app.system.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.url}/admin`);
    const wide: string[] = [];
    const violations: string[] = [];
    for (const path of [
      '/admin',
      '/admin/campaigns/abandoned-cart',
      '/admin/templates',
      '/admin/templates/abandoned-cart',
      '/admin/templates/abandoned-cart/edit',
      '/admin/campaigns/abandoned-cart/edit',
      '/admin/reports',
      '/admin/integrations',
      '/admin/changes',
      '/admin/customers',
      `/admin/customers/${c.id}`,
    ]) {
      await page.goto(`${app.url}${path}`);
      // String form: the test's tsconfig has no DOM types.
      const fits = await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1');
      if (!fits) wide.push(`${path}: ${await page.evaluate('document.documentElement.scrollWidth')} px`);
      violations.push(...(await seriousViolationLines(page)).map((v) => `${path}: ${v}`));
    }
    expect(wide).toEqual([]);
    expect(violations).toEqual([]);
  });
});
