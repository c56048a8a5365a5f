import type { Browser, BrowserContext, Page } from 'playwright-core';
import { artifactPath, useSystemAndBrowser } from './support/browser';
import { seriousViolationLines } from './support/axe';
import { cartUpdated, customerWithConsent, type TestSystem } from './support/harness';

/**
 * The console's editors in a real browser (docs/authoring.md): a marketer changes a subject in the
 * template editor, sees the preview change, publishes, and the next real cart email has it; a broken
 * template names its line and does not publish; a campaign made with the form simulates and publishes;
 * an editor has no publish button. Every editor page passes axe and fits a 375 px phone.
 */
describe('template and campaign editors in a browser', () => {
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

  /** No horizontal scrolling on a phone (string form: the test's tsconfig has no DOM types). */
  async function fitsPhone(page: Page): Promise<boolean> {
    await page.setViewportSize({ width: 375, height: 800 });
    const fits = await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth');
    await page.setViewportSize({ width: 1280, height: 1000 });
    return fits as boolean;
  }

  it('a publisher changes the English subject, sees the preview change, publishes, and the next cart email has it', async () => {
    const { page } = await signIn(app.system.adminKey, '/admin/templates/abandoned-cart/edit');
    const csp = (await page.request.get(`${app.url}/admin/templates/abandoned-cart/edit`)).headers()['content-security-policy'];
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).not.toMatch(/unsafe-inline[^;]*;\s*connect|script-src[^;]*unsafe/);
    await page.locator('#inbox-subject').getByText('Zofia, you left something in your cart').waitFor();
    await expect(page.locator('#inbox-preheader').innerText()).resolves.toBe('Your cart at Demo Shop is saved for you.');
    expect(await seriousViolationLines(page)).toEqual([]);

    await page.getByRole('tab', { name: 'English' }).click();
    await page.getByLabel('Subject (en)').fill('{{customer.firstName}}, your cart misses you');
    await page.locator('#inbox-subject').getByText('Zofia, your cart misses you').waitFor();
    await expect(page.locator('#frame-desktop').getAttribute('srcdoc')).resolves.toContain('Zofia, your cart misses you');
    await page
      .getByRole('status')
      .getByText(/Saved as revision \d+/)
      .waitFor();
    expect(await fitsPhone(page)).toBe(true);

    await page.getByRole('button', { name: 'Review changes and publish' }).click();
    await page.locator('#diff').getByText('locales/en.json').waitFor();
    await expect(page.locator('#diff .add').allInnerTexts()).resolves.toContain(
      '+  "subject": "{{customer.firstName}}, your cart misses you",',
    );
    expect(await seriousViolationLines(page)).toEqual([]);
    await page.getByRole('button', { name: 'Publish this draft' }).click();
    await page
      .locator('#publish-status')
      .getByText(/Published as version [0-9a-f]{12}/)
      .waitFor();
    await page.screenshot({ path: artifactPath('console-template-editor.png'), fullPage: true });

    const customer = await customerWithConsent(app, { firstName: 'Ada' });
    await app.postEvents([cartUpdated(customer, await app.now())]);
    await app.advance('PT1H');
    const [email] = await app.inbox(customer.email);
    expect(email?.subject).toBe('Ada, your cart misses you');
  });

  it('a Handlebars error typed into the MJML names its line in the validation list, jumps there, and does not publish', async () => {
    const { page } = await signIn(app.system.adminKey, '/admin/templates/abandoned-cart/edit');
    await page.locator('#inbox-subject').getByText('Zofia').waitFor();
    const mjml = page.locator('#mjml-editor .cm-content');
    await mjml.click();
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.type(' {{customer.firstName} oops');
    const entry = page.locator('#validation').getByRole('button', { name: /MJML, line 11: Handlebars: Parse error/ });
    await entry.waitFor();
    await page.getByRole('tab', { name: 'Plain text' }).click();
    await entry.click();
    await expect(page.getByRole('tab', { name: 'MJML' }).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.locator('#mjml-editor .cm-activeLineGutter').innerText()).resolves.toBe('11');
    await page
      .getByRole('status')
      .getByText(/Saved as revision \d+/)
      .waitFor();

    await page.getByRole('button', { name: 'Review changes and publish' }).click();
    await page.getByRole('button', { name: 'Publish this draft' }).click();
    await page.locator('#publish-status').getByText('Not published: the draft does not validate').waitFor();
    const draft = await app.request('GET', '/admin/api/templates/abandoned-cart/draft', undefined, {
      authorization: `Bearer ${app.system.adminKey}`,
    });
    expect(draft.body.validation.ok).toBe(false);
    expect(draft.body.validation.errors).toContainEqual(expect.objectContaining({ part: 'mjml', line: 11 }));
  });

  it('a campaign made with the form names a bad field beside it, simulates and publishes', async () => {
    await customerWithConsent(app, { firstName: 'Ola' });
    const { page } = await signIn(app.system.adminKey, '/admin/campaigns/new');
    await page.getByLabel('Campaign id').fill('spring-news');
    await page.getByLabel('Name', { exact: true }).fill('Spring news');
    await page.getByLabel('Topic').selectOption({ label: 'the newsletter' });
    await page.getByLabel('When', { exact: true }).selectOption({ label: 'a customer is created or updated' });
    await expect(page.getByLabel('After the trigger, wait').inputValue()).resolves.toBe('1 hour');
    await page.getByLabel('After the trigger, wait').fill('2 days');
    await page.getByLabel('Template').selectOption('win-back');
    await page.getByLabel('Priority (0–100)').fill('500');
    const priorityMessage = page.locator('[data-message-for="priority"]');
    await priorityMessage.getByText(/100/).waitFor();
    await expect(page.getByLabel('Priority (0–100)').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.waitForURL(`${app.url}/admin/campaigns/spring-news/edit`);
    expect(await seriousViolationLines(page)).toEqual([]);
    await page.getByLabel('Priority (0–100)').fill('60');
    await page.locator('#validation-summary').getByText('Valid: it can be simulated and published.').waitFor();
    await expect(priorityMessage.isHidden()).resolves.toBe(true);
    expect(await fitsPhone(page)).toBe(true);

    await page.getByRole('tab', { name: 'JSON' }).click();
    await page.locator('#json-editor .cm-content').getByText('"delay": "P2D"').waitFor();
    await page.getByRole('tab', { name: 'Form' }).click();

    await page.getByRole('button', { name: 'Simulate this draft' }).click();
    await page.locator('#simulation-result').getByText('customers considered').waitFor();
    await page.getByRole('button', { name: 'Publish this draft' }).click();
    await page.locator('#publish-status').getByText('Published as version 1').waitFor();
    expect(await seriousViolationLines(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('console-campaign-editor.png'), fullPage: true });

    const admin = { authorization: `Bearer ${app.system.adminKey}` };
    const versions = await app.request('GET', '/admin/api/campaigns/spring-news/versions', undefined, admin);
    expect(versions.body).toMatchObject({ campaignId: 'spring-news', running: 1 });
    const running = await app.request('GET', '/admin/api/campaigns/spring-news/draft', undefined, admin);
    expect(running.body.parts).toMatchObject({
      name: 'Spring news',
      topic: 'newsletter',
      priority: 60,
      steps: [{ id: 'first', delay: 'P2D', template: 'win-back' }],
    });
  });

  it('"New template" starts from a starter that validates; a test send from the editor mails the draft as previewed', async () => {
    const { page } = await signIn(app.system.editorKey, '/admin/templates');
    await page.getByRole('link', { name: 'New template' }).click();
    await page.getByLabel(/^Name/).fill('spring-note');
    await page.getByRole('button', { name: 'Create the draft' }).click();
    await page.waitForURL(`${app.url}/admin/templates/spring-note/edit`);
    await page.locator('#validation-summary').getByText('Valid', { exact: false }).waitFor();
    await page.locator('#inbox-subject').getByText('News from Demo Shop').waitFor();
    expect(await seriousViolationLines(page)).toEqual([]);

    await page.getByRole('tab', { name: 'English' }).click();
    await page.getByLabel('Subject (en)').fill('Spring at {{shop.name}}');
    await page.locator('#inbox-subject').getByText('Spring at Demo Shop').waitFor();
    await page.getByLabel('Send this preview to').fill('marketer@shop.example');
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.locator('#test-send-status').getByText('Test email sent to marketer@shop.example').waitFor();
    const [mail] = await app.inbox('marketer@shop.example');
    expect(mail?.subject).toBe('[Test] Spring at Demo Shop');

    await page.goto(`${app.url}/admin/templates/new`);
    await page.getByLabel(/^Name/).fill('spring-note');
    await page.getByRole('button', { name: 'Create the draft' }).click();
    await page.getByRole('alert').getByText('There is already a template named spring-note').waitFor();
  });

  it('the form keeps every field it does not touch: a variant added to abandoned-cart leaves its steps, reward and endings', async () => {
    const admin = { authorization: `Bearer ${app.system.adminKey}` };
    const before = (await app.request('GET', '/admin/api/campaigns/abandoned-cart/draft', undefined, admin)).body.parts;
    const { page } = await signIn(app.system.editorKey, '/admin/campaigns/abandoned-cart/edit');
    await expect(page.getByLabel('After the trigger, wait').first().inputValue()).resolves.toBe('1 hour');
    await expect(page.getByLabel('Code').inputValue()).resolves.toBe('COMEBACK10');
    await page.getByRole('button', { name: 'Add a variant' }).click();
    await page.getByLabel('Subject (pl)').fill('{{customer.firstName}}, Twój koszyk czeka');
    await page
      .getByRole('status')
      .getByText(/Saved as revision \d+/)
      .waitFor();
    const after = (await app.request('GET', '/admin/api/campaigns/abandoned-cart/draft', undefined, admin)).body;
    expect(after.parts).toEqual({
      ...before,
      variants: [{ id: 'variant-1', weight: 1, subject: { pl: '{{customer.firstName}}, Twój koszyk czeka' } }],
    });
    expect(after.validation.ok).toBe(true);
  });

  it("an editor's template editor has no publish button, and the console and the API refuse an editor's publish", async () => {
    const { page } = await signIn(app.system.editorKey, '/admin/templates/win-back/edit');
    await page.locator('#inbox-subject').getByText('Marek, it has been a while').waitFor();
    await expect(page.getByRole('button', { name: /publish/i }).count()).resolves.toBe(0);
    await page.getByText('A publisher publishes drafts.').waitFor();
    await expect(page.getByRole('button', { name: 'Send test' }).count()).resolves.toBe(1);
    expect(await seriousViolationLines(page)).toEqual([]);
    const csrf = await page.evaluate('JSON.parse(document.getElementById("editor-data").textContent).csrf');
    const fromPage = await page.request.post(`${app.url}/admin/templates/win-back/draft/publish`, {
      headers: { 'content-type': 'application/json', 'x-csrf-token': String(csrf), origin: app.url },
      data: {},
    });
    expect(fromPage.status()).toBe(403);
    const refused = await app.request('POST', '/admin/api/templates/win-back/draft/publish', undefined, {
      authorization: `Bearer ${app.system.editorKey}`,
    });
    expect(refused).toMatchObject({ status: 403, body: { error: { message: 'needs the publisher role; editor-key is an editor' } } });

    await page.goto(`${app.url}/admin/campaigns/abandoned-cart/edit`);
    await page.getByLabel('Name', { exact: true }).waitFor();
    await expect(page.getByRole('button', { name: /publish/i }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Simulate this draft' }).count()).resolves.toBe(1);
    expect(await seriousViolationLines(page)).toEqual([]);
    expect(await fitsPhone(page)).toBe(true);
  });
});
