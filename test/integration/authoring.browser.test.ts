import type { Browser, BrowserContext, Page } from 'playwright-core';
import { artifactPath, useSystemAndBrowser } from './support/browser';
import { seriousViolationLines } from './support/axe';
import { type TestSystem } from './support/harness';

/** Roles and sessions in a real browser: what an editor sees and may do, pause from the console, sign-out that ends a session. */
describe('console roles, pause and sessions in a browser', () => {
  let app: TestSystem;
  let browser: Browser;
  useSystemAndBrowser((a, b) => ([app, browser] = [a, b]));

  async function signIn(key: string, path: string): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${app.url}${path}`);
    await page.getByLabel('Admin key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.url}${path}`);
    return { page, context };
  }

  it("an editor's console has no publish, rollback or pause button, and the API refuses them", async () => {
    const draft = await app.request('GET', '/admin/api/templates/win-back/draft', undefined, {
      authorization: `Bearer ${app.system.editorKey}`,
    });
    const saved = await app.request(
      'PUT',
      '/admin/api/templates/win-back/draft',
      { revision: 0, parts: draft.body.parts },
      { authorization: `Bearer ${app.system.editorKey}` },
    );
    expect(saved.status).toBe(200);

    const { page } = await signIn(app.system.editorKey, '/admin/templates/win-back');
    await page.locator('#draft').getByText('saved', { exact: false }).waitFor();
    await expect(page.getByText('A publisher publishes drafts.').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: /publish/i }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Send this version' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Send test' }).count()).resolves.toBe(1);
    await page.screenshot({ path: artifactPath('console-editor-template.png'), fullPage: true });
    await page.goto(`${app.url}/admin/campaigns/win-back`);
    await expect(page.getByRole('button', { name: /pause/i }).count()).resolves.toBe(0);

    const refused = await app.request('POST', '/admin/api/templates/win-back/draft/publish', undefined, {
      authorization: `Bearer ${app.system.editorKey}`,
    });
    expect(refused).toMatchObject({ status: 403, body: { error: { message: 'needs the publisher role; editor-key is an editor' } } });
  });

  it('a publisher publishes the draft and pauses from the console; the changes page says who did it', async () => {
    const { page } = await signIn(app.system.adminKey, '/admin/templates/win-back');
    await page.getByRole('button', { name: 'Publish draft' }).click();
    await page.getByText('Published: the next sends use this version.').waitFor();

    await page.goto(`${app.url}/admin/campaigns/win-back`);
    await page.getByRole('button', { name: 'Pause campaign' }).click();
    await page.getByText('Paused: due steps are held until you resume.').waitFor();
    expect(await seriousViolationLines(page)).toEqual([]);
    await expect(page.locator('#pause').getByText('Paused', { exact: true }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Resume campaign' }).click();
    await page.getByText('Resumed:', { exact: false }).waitFor();

    await page.getByRole('link', { name: 'Changes' }).click();
    const rows = page.locator('#changes tbody tr');
    await rows.first().waitFor();
    const text = await rows.allInnerTexts();
    expect(text[0]).toMatch(/admin-key\s+Resumed\s+campaign win-back/);
    expect(text[1]).toMatch(/admin-key\s+Paused\s+campaign win-back/);
    expect(text.some((t) => /admin-key\s+Published\s+template win-back/.test(t))).toBe(true);
    expect(text.some((t) => /editor-key\s+Draft saved\s+template win-back/.test(t))).toBe(true);
    await page.screenshot({ path: artifactPath('console-changes.png'), fullPage: true });
    expect(await seriousViolationLines(page)).toEqual([]);
    await page.setViewportSize({ width: 375, height: 800 });
    // No horizontal scrolling on a phone (string form: the test's tsconfig has no DOM types).
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
  });

  it('signing out ends the session on the server: a saved copy of the cookie no longer works', async () => {
    const { page, context } = await signIn(app.system.adminKey, '/admin/templates');
    const [cookie] = await context.cookies();
    const withCookie = () =>
      fetch(`${app.url}/admin/templates`, { headers: { cookie: `tactful_admin=${cookie!.value}` }, redirect: 'manual' });
    expect((await withCookie()).status).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/sign-in/);
    const after = await withCookie();
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/admin\/sign-in/);
  });

  it('a publisher signs everyone out: every other session ends too; an editor may not', async () => {
    const editor = await signIn(app.system.editorKey, '/admin/changes');
    await expect(editor.page.getByRole('button', { name: 'Sign out everyone' }).count()).resolves.toBe(0);
    const other = await signIn(app.system.adminKey, '/admin/templates');
    const { page } = await signIn(app.system.adminKey, '/admin/changes');
    await page.getByRole('button', { name: 'Sign out everyone' }).click();
    await page.waitForURL(/\/admin\/sign-in/);
    for (const session of [other, editor]) {
      await session.page.goto(`${app.url}/admin/templates`);
      expect(new URL(session.page.url()).pathname).toBe('/admin/sign-in');
    }
    // Signing in again works at once.
    await signIn(app.system.editorKey, '/admin/templates');
  });
});
