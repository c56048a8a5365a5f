import type { Browser } from 'playwright-core';
import { artifactPath, useSystemAndBrowser } from './support/browser';
import { seriousViolations } from './support/axe';
import { remindedCustomer, type StoredEmail, type TestSystem } from './support/harness';

const linkTo = (email: StoredEmail, path: 'why' | 'preferences'): string =>
  new RegExp(`href="([^"]*/${path}/[^"]+)"`).exec(email.body.html!)![1]!;

/** The customer pages a person sees, in Debian Chromium: /why and the preference center, checked by axe-core. */
describe('customer pages in a browser', () => {
  let app: TestSystem;
  let browser: Browser;
  useSystemAndBrowser((a, b) => ([app, browser] = [a, b]));

  it.each(['en', 'pl', 'ru'] as const)('/why of a cart email (%s): readable, with no serious or critical axe violation', async (locale) => {
    const { email } = await remindedCustomer(app, { locale, firstName: { en: 'Maria', pl: 'Anna', ru: 'Ольга' }[locale] });
    // The page forbids scripts (CSP); the test context bypasses that only to inject axe-core.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 900, height: 1400 }, locale });
    const page = await context.newPage();
    const response = await page.goto(linkTo(email, 'why'));
    expect(response?.status()).toBe(200);
    await page.screenshot({ path: artifactPath(`why-${locale}.png`), fullPage: true });
    const title = { en: 'Why you got this email', pl: 'Dlaczego dostajesz tę wiadomość', ru: 'Почему вы получили это письмо' }[locale];
    await expect(page.getByRole('heading', { level: 1, name: title }).isVisible()).resolves.toBe(true);
    // Tables say what they hold and which cells are headers.
    await expect(page.getByRole('table').first().locator('caption').isVisible()).resolves.toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    // The page's links lead to the email's preference center, in the same language.
    await page
      .getByRole('link', {
        name: { en: 'Change this for future emails', pl: 'Zmień to dla kolejnych wiadomości', ru: 'Изменить это для следующих писем' }[
          locale
        ],
      })
      .click();
    await page.locator('#tracking').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe(locale);
    await context.close();
  });

  it.each(['en', 'pl', 'ru'] as const)(
    'the preference center (%s): values in words, no serious or critical axe violation',
    async (locale) => {
      const { email } = await remindedCustomer(app, { locale });
      const context = await browser.newContext({ bypassCSP: true, viewport: { width: 900, height: 1600 }, locale });
      const page = await context.newPage();
      await page.goto(linkTo(email, 'preferences'));
      await page.screenshot({ path: artifactPath(`preference-center-${locale}.png`), fullPage: true });
      const known = await page.getByRole('table').first().innerText();
      // Language and country by name, the zone by its name: no codes.
      const words = {
        en: ['English', 'Poland', 'Central European'],
        pl: ['Polski', 'Polska', 'środkowoeuropejski'],
        ru: ['Русский', 'Польша', 'Центральная Европа'],
      }[locale];
      for (const word of words) expect(known).toContain(word);
      expect(known).not.toMatch(/\b(en|pl|ru|PL)\b/);
      expect(await page.getByText('Demo Shop').first().isVisible()).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      // The erase confirmation and the plain page of a link that does not work, too.
      await page.getByRole('button', { name: { en: 'Erase my data', pl: 'Usuń moje dane', ru: 'Удалить мои данные' }[locale] }).click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      expect((await page.goto(`${app.url}/why/not-a-token`))?.status()).toBe(404);
      expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    },
  );

  it('the axe check finds what it looks for: light grey text and an unlabelled field are serious', async () => {
    const page = await browser.newPage();
    await page.setContent(
      '<!doctype html><html lang="en"><head><title>t</title></head>' +
        '<body><main><p style="color:#bbb">faint</p><input type="text"></main></body></html>',
    );
    expect((await seriousViolations(page)).map((v) => v.id).sort()).toEqual(['color-contrast', 'label']);
    await page.close();
  });
});
