import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { artifactPath, useSystemAndBrowser } from './support/browser';
import { cartUpdated, remindedCustomer, type StoredEmail, type TestSystem } from './support/harness';

const preferencesLink = (email: StoredEmail): string => /href="([^"]*\/preferences\/[^"]+)"/.exec(email.body.html!)![1]!;

/** A person uses the preference link from a real email, in a real browser (Debian Chromium). */
describe('preference center in a browser', () => {
  let app: TestSystem;
  let browser: Browser;
  useSystemAndBrowser((a, b) => ([app, browser] = [a, b]));

  it('changes a topic, the frequency and the level, downloads the data, and later sends follow', async () => {
    const { c, email } = await remindedCustomer(app, { locale: 'en', firstName: 'Maria' });
    const link = preferencesLink(email);

    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 900, height: 1400 } });
    const page = await context.newPage();
    await page.goto(link);
    await page.screenshot({ path: artifactPath('preference-center.png'), fullPage: true });
    await expect(page.getByRole('heading', { name: 'Your email preferences' }).isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Cart reminders').isChecked()).resolves.toBe(true);

    await page.getByLabel('The newsletter').check();
    await page.getByLabel('At most once a week').check();
    await page.getByLabel('None', { exact: true }).check();
    await page.getByRole('button', { name: 'Save my choices' }).click();
    await page.getByText('Your choices are saved.').waitFor();
    await page.screenshot({ path: artifactPath('preference-center-saved.png'), fullPage: true });

    const profile = await app.system.customers.getProfile(c.id);
    expect(profile).toMatchObject({ frequency: 'weekly', personalization: 'none' });
    expect(profile?.consent.newsletter?.status).toBe('granted');
    expect(profile?.consent.cart_reminders?.status).toBe('granted');
    // The history shows the customer's own changes in words: what, and how ("on this page"), newest first.
    const history = page.getByRole('table', { name: /Every time you gave or withdrew consent/ });
    const levelChange = history.getByRole('row').filter({ hasText: 'Personalization changed from “Basic” to “None”' });
    await expect(levelChange.innerText()).resolves.toMatch(/on this page/);
    await expect(history.getByText('You agreed to the newsletter').isVisible()).resolves.toBe(true);
    await expect(history.getByText('at checkout in the shop (privacy notice of January 2026)').isVisible()).resolves.toBe(true);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download my data (JSON)' }).click(),
    ]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(exported.format).toBe('tactful-export/1');
    expect(exported.data.profile.records[0]).toMatchObject({ email: c.email, frequency: 'weekly', personalization: 'none' });
    expect(exported.data.consent.records.map((r: { topic: string }) => r.topic)).toEqual(['cart_reminders', 'newsletter']);
    expect(exported.data.deliveryLog.records[0]).toMatchObject({
      outcome: 'sent',
      fieldsUsed: expect.arrayContaining(['customer.firstName']),
    });

    // The next cart reminder follows the new choice: personalization "none" allows no cart reminders.
    await app.postEvents([cartUpdated(c, await app.now(), undefined, 'cart-after')]);
    await app.advance('PT2H');
    const job = (await app.system.customers.listJobs(c.id)).find((j) => j.journeyKey === 'cart-after');
    expect(job).toMatchObject({ status: 'skipped', reason: 'level' });
    expect(await app.inbox(c.email)).toHaveLength(1);
    await context.close();
  });

  it('unsubscribes from all marketing in one action, and erases after a confirmation step', async () => {
    const { c, email } = await remindedCustomer(app, { locale: 'ru', firstName: 'Ольга' });
    const link = preferencesLink(email);
    const page = await browser.newPage();
    await page.goto(link);
    await page.getByRole('button', { name: 'Отписаться от всех рекламных писем' }).click();
    await page.getByRole('status').waitFor();
    const profile = await app.system.customers.getProfile(c.id);
    expect(Object.values(profile!.consent).every((s) => s?.status === 'withdrawn')).toBe(true);

    await page.getByRole('button', { name: 'Удалить мои данные' }).click();
    await page.getByRole('heading', { name: 'Удалить ваши данные?' }).waitFor();
    expect(await app.system.customers.getProfile(c.id)).toBeDefined();
    await page.getByRole('button', { name: 'Да, удалить мои данные' }).click();
    await page.getByText('Ваши данные удалены').waitFor();
    expect(await app.system.customers.getProfile(c.id)).toBeUndefined();
    const left = (await app.system.customers.listEverything(c.id)).map((i) => String(i['kind']));
    expect(new Set(left)).toEqual(new Set(['consent', 'erasure']));
    await page.close();
  });
});
