import type { Browser, Page } from 'playwright-core';
import { artifactPath, useSystemAndBrowser } from './support/browser';
import { seriousViolationLines } from './support/axe';
import { consentGranted, type TestSystem } from './support/harness';
import { createBroadcast, loyaltyMember, saveSegment } from './support/broadcasts';

/** A marketer builds a segment, counts it, schedules a broadcast to it, test-sends it and cancels it, in a real browser. */
describe('segments and broadcasts in the console', () => {
  let app: TestSystem;
  let browser: Browser;
  useSystemAndBrowser((a, b) => ([app, browser] = [a, b]));

  /** axe finds nothing serious, and at 375 px the page does not scroll sideways (string form: no DOM types here). */
  async function checked(page: Page, problems: string[]): Promise<void> {
    const where = new URL(page.url()).pathname;
    problems.push(...(await seriousViolationLines(page)).map((v) => `${where}: ${v}`));
    const width = page.viewportSize()!;
    await page.setViewportSize({ width: 375, height: 800 });
    if (!(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')))
      problems.push(`${where}: ${await page.evaluate('document.documentElement.scrollWidth')} px wide at 375 px`);
    await page.setViewportSize(width);
  }

  it('counts a segment built as a form, schedules a broadcast to it, and shows its progress in words', async () => {
    await Promise.all([loyaltyMember(app, { tier: 'gold' }), loyaltyMember(app, { tier: 'gold' }), loyaltyMember(app, { tier: 'silver' })]);
    const problems: string[] = [];
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    await page.goto(`${app.url}/admin/segments`);
    await page.getByLabel('Admin key').fill(app.system.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Segments', level: 1 }).waitFor();
    await checked(page, problems);

    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel('Id (lowercase letters, digits and dashes)').fill('gold-members');
    await page.getByLabel('Name', { exact: true }).fill('Gold members');
    await page.getByLabel('Fact').selectOption({ label: 'loyalty tier' });
    await page.getByLabel('How it compares').selectOption({ label: 'is' });
    await page.getByLabel('Value').fill('gold');
    await checked(page, problems);
    await page.getByRole('button', { name: 'Count matching customers' }).click();
    await page.getByRole('heading', { name: '2 customers match now' }).waitFor();
    await expect(page.locator('main').innerText()).resolves.toContain('loyalty tier is gold');
    await checked(page, problems);

    // A value the fact cannot take is named beside its field, and nothing is lost.
    await page.getByLabel('How it compares').selectOption({ label: 'is one of' });
    await page.getByLabel('Value').fill('');
    await page.getByRole('button', { name: 'Count matching customers' }).click();
    await expect(page.locator('.condition .error').innerText()).resolves.toMatch(/must be/);
    await checked(page, problems);
    await page.getByLabel('How it compares').selectOption({ label: 'is' });
    await page.getByLabel('Value').fill('gold');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`${app.url}/admin/segments/gold-members?notice=segment-saved`);
    await expect(page.getByRole('status').innerText()).resolves.toBe('Segment saved.');

    await page.goto(`${app.url}/admin/broadcasts`);
    await checked(page, problems);
    await page.getByRole('link', { name: 'New broadcast' }).click();
    await checked(page, problems);
    await page.getByLabel('Id (lowercase letters, digits and dashes)').fill('gold-december');
    await page.getByLabel(/^Name/).fill('December offer for gold members');
    await page.getByLabel('Segment').selectOption({ label: 'Gold members' });
    await page.getByLabel('Template').selectOption('loyalty-offer');
    await page.getByLabel(/^Topic/).selectOption({ label: 'loyalty offers' });
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.waitForURL(`${app.url}/admin/broadcasts/gold-december?notice=broadcast-scheduled`);
    const main = page.locator('main');
    await expect(main.innerText()).resolves.toMatch(/Scheduled: nobody has been reached yet/);
    await expect(main.innerText()).resolves.toMatch(/10:00 on \d+ \w+ \d{4} in each recipient's own time zone/);
    await page.screenshot({ path: artifactPath('console-broadcast.png'), fullPage: true });
    await checked(page, problems);

    await page.getByLabel('To').fill('marketer@example.com');
    await page.getByRole('button', { name: 'Send a test' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Test email sent.');
    expect((await app.inbox('marketer@example.com')).map((e) => e.subject)).toContain("[Test] Ada, this month's offer for gold members");

    await page.getByRole('button', { name: 'Cancel this broadcast' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Broadcast cancelled: nothing more of it is sent.');
    await expect(main.innerText()).resolves.toMatch(/Cancelled: nothing more is sent/);
    expect(await page.getByRole('button', { name: 'Cancel this broadcast' }).count()).toBe(0);
    await checked(page, problems);
    expect(problems).toEqual([]);
  });

  it('a scheduling the server refuses comes back with the field named and the form as it was', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    await page.goto(`${app.url}/admin/broadcasts/new`);
    await page.getByLabel('Admin key').fill(app.system.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'New broadcast' }).waitFor();
    await page.getByLabel('Id (lowercase letters, digits and dashes)').fill('too-late');
    await page.getByLabel(/^Name/).fill('Too late');
    await page.getByLabel('On', { exact: true }).fill('2020-01-01');
    await page.getByRole('button', { name: 'Schedule' }).click();
    await expect(page.locator('#sendAt-error').innerText()).resolves.toMatch(/is in the past \(today is .* in Europe\/Warsaw\)/);
    await expect(page.getByLabel(/^Name/).inputValue()).resolves.toBe('Too late');
    expect(await seriousViolationLines(page)).toEqual([]);
  });

  it('shows a finished broadcast’s progress in words: sent, not sent by reason, its zone, at 375 px and axe-clean', async () => {
    const members = await Promise.all(Array.from({ length: 3 }, () => loyaltyMember(app, { country: 'LV' })));
    await app.advance('PT1M');
    await app.postEvents([consentGranted(members[0]!, await app.now(), 'loyalty', 'withdrawn')]);
    await saveSegment(app, 'latvia', [{ fact: 'profile.country', op: 'eq', value: 'LV' }], 'Latvian members');
    const sendAt = new Date(Date.parse(await app.now()) + 60_000).toISOString();
    await createBroadcast(app, { id: 'lv-offer', name: 'Latvian offer', segment: 'latvia', sendAt });
    await app.advance('PT2M');

    const problems: string[] = [];
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    await page.goto(`${app.url}/admin/broadcasts/lv-offer`);
    await page.getByLabel('Admin key').fill(app.system.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Latvian offer', level: 1 }).waitFor();
    const main = page.locator('main');
    await expect(main.innerText()).resolves.toContain('Done: everyone it was for got it or was skipped');
    await expect(page.locator('[data-metric="audience"]').innerText()).resolves.toBe('3');
    await expect(page.locator('[data-metric="sent"]').innerText()).resolves.toBe('2');
    await expect(page.locator('[data-metric="skipped"]').innerText()).resolves.toBe('1');
    await expect(page.locator('tr[data-reason="no-consent"]').innerText()).resolves.toMatch(/no consent to the topic\s+1/);
    await expect(main.innerText()).resolves.toMatch(/Zones reached[\s\S]*3 in the audience/);
    expect(await page.getByRole('button', { name: 'Cancel this broadcast' }).count()).toBe(0);
    await checked(page, problems);
    await page.goto(`${app.url}/admin/broadcasts`);
    await expect(page.locator('main').innerText()).resolves.toContain('Latvian offer');
    await checked(page, problems);
    expect(problems).toEqual([]);
  });
});
