import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { compileTemplateSource, templatesDir } from '../../functions/publishing/templateSource';
import type { PublishedTemplate } from '../../functions/domain/rendering/publishedTemplate';
import { precompileTemplate } from '../../functions/domain/rendering/precompile';
import {
  cartUpdated,
  consentGranted,
  customerUpserted,
  defaultItems,
  newCustomer,
  remindedCustomer,
  startTestSystem,
  type TestSystem,
} from './support/harness';

const nestedIfs = (n: number) => '{{#if 1}}'.repeat(n) + 'x' + '{{/if}}'.repeat(n);
const nestedConcat = (n: number) => `{{${'(concat '.repeat(n).slice(1)}"x"${')'.repeat(n - 1)}}}`;
/** Four loops over the whole cart, one inside the other: 100^4 iterations for a 100-item cart. */
const FOUR_LOOPS = '{{#each @root.cart.items}}'.repeat(4) + '{{name}}' + '{{/each}}'.repeat(4);

/** Requests /health while `work` is under way: both must complete, /health with 200 (the server is not held). */
async function healthDuring<T>(app: TestSystem, work: Promise<T>): Promise<{ result: T; health: number }> {
  const health = app.request('GET', '/health').then((r) => r.status);
  const [result, status] = await Promise.all([work, health]);
  return { result, health: status };
}

/** Issue 24: what a careless or hostile admin key, or a shop's data, must not be able to do. */
describe('admin side safety', () => {
  let app: TestSystem;
  const admin = () => ({ authorization: `Bearer ${app.system.adminKey}` });
  const adminForm = () => ({ ...admin(), 'content-type': 'application/x-www-form-urlencoded' });
  const publish = (name: string, body: unknown) => app.request('POST', `/admin/api/templates/${name}/versions`, body, admin());
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  describe('the local console and services', () => {
    it('refuses to publish a working copy named outside templates/, percent-encoded or not', async () => {
      for (const name of ['..%2Fscripts', '..%2F..%2Ftmp', '.%2E%2Fscripts']) {
        const response = await app.request('POST', `/admin/templates/${name}/publish`, '', adminForm());
        expect(response.status).toBe(404);
        expect(String(response.body)).toContain('templates/ has no folder named');
      }
      // A folder that is there still publishes.
      const real = await app.request('POST', '/admin/templates/win-back/publish', '', adminForm());
      expect(real.status).toBe(200);
      expect(String(real.body)).toMatch(/Published: the next sends use this version|That version was already the one sending/);
    });

    it('binds DynamoDB Local and the SES stand-in to 127.0.0.1 only', async () => {
      const outside = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && !i.internal && i.family === 'IPv4')?.address;
      const reach = (host: string, port: number) =>
        new Promise<boolean>((resolve) => {
          const socket = connect({ host, port, timeout: 2000 }, () => (socket.destroy(), resolve(true)));
          socket.on('error', () => resolve(false));
          socket.on('timeout', () => (socket.destroy(), resolve(false)));
        });
      for (const endpoint of [process.env['TACTFUL_TEST_DYNAMODB']!, process.env['TACTFUL_TEST_SES']!]) {
        const port = Number(new URL(endpoint).port);
        expect(await reach('127.0.0.1', port)).toBe(true);
        // On a machine with no other interface there is nothing more to try.
        if (outside) expect(await reach(outside, port)).toBe(false);
      }
    });
  });

  describe('template limits (finding 1)', () => {
    let reminder: PublishedTemplate;
    beforeAll(async () => {
      reminder = await compileTemplateSource(templatesDir(), 'abandoned-cart', await app.now());
    });

    it('refuses a deeply nested template at publish, naming the part and the limit, while /health answers', async () => {
      const nested = { ...reminder, version: 'a1a1a1a1a1a1', html: reminder.html.replace('</body>', `${nestedIfs(5000)}</body>`) };
      const { result, health } = await healthDuring(app, publish('abandoned-cart', nested));
      expect(health).toBe(200);
      const message = 'nests blocks 5000 deep; at most 24 is allowed (each {{else if}} counts as one)';
      expect(result).toMatchObject({ status: 400, body: { error: { path: 'html', message } } });
      const strings = { ...reminder.locales.en!.strings, deep: nestedConcat(200) };
      const concat = { ...reminder, version: 'a2a2a2a2a2a2', locales: { ...reminder.locales, en: { ...reminder.locales.en!, strings } } };
      const refused = await publish('abandoned-cart', concat);
      const deep = { path: 'locales.en.strings.deep', message: 'nests subexpressions 199 deep; at most 8 is allowed' };
      expect(refused).toMatchObject({ status: 400, body: { error: deep } });
    });

    it('refuses a render bomb at publish: every sample renders under the send budget, on a worker thread', async () => {
      const bomb = { ...reminder, version: 'a3a3a3a3a3a3', html: reminder.html.replace('</body>', `${FOUR_LOOPS}</body>`) };
      const items = Array.from({ length: 100 }, () => ({ name: 'Mug', qty: 1, price: 1, currency: 'EUR', lineTotal: 1 }));
      const sample = bomb.samples!['default']!;
      const cart = { ...(sample.data['cart'] as object), items };
      const samples = { ...bomb.samples, full: { ...sample, data: { ...sample.data, cart } } };
      const { result, health } = await healthDuring(app, publish('abandoned-cart', { ...bomb, samples }));
      expect(health).toBe(200);
      expect(result.status).toBe(422);
      const message = expect.stringContaining('went over its budget of 10,000 loop iterations');
      expect(result.body.error).toMatchObject({ path: 'samples.full', message });
    });

    it('refuses to preview a stored version over the limits (one published before them), and says why', async () => {
      // Stored with the specs of its HTML before the nesting: publishing makes none for a version over the limits.
      const within = { ...reminder, name: 'old-nested', version: 'a4a4a4a4a4a4' };
      const old = { ...within, html: reminder.html.replace('</body>', `${nestedIfs(4000)}</body>`) };
      await app.system.catalogStore.publishTemplate(old, precompileTemplate(within));
      const preview = () => app.request('POST', '/admin/api/templates/old-nested/preview', { version: old.version }, admin());
      const { result, health } = await healthDuring(app, preview());
      expect(health).toBe(200);
      const message = expect.stringContaining('html nests blocks 4000 deep; at most 24');
      expect(result).toMatchObject({ status: 422, body: { error: { path: 'version', message } } });
      // The failure is remembered with the version: asked again, the same answer.
      expect((await preview()).status).toBe(422);
    });
  });

  describe("customers' links after an address change (finding 6)", () => {
    it('a link for an old address still unsubscribes, but shows no data, exports nothing and cannot erase', async () => {
      const { c, email } = await remindedCustomer(app, { firstName: 'Marta' });
      const prefs = /href="([^"]*\/preferences\/[^"]+)"/.exec(email.body.html!)![1]!;
      const unsubscribe = /<([^>]+\/u\/[^>]+)>/.exec(email.headers!.find((h) => h.name === 'List-Unsubscribe')!.value)![1]!;
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      // While the address is the customer's, the link shows everything.
      expect(await (await fetch(prefs)).text()).toContain(c.email);

      const moved = { ...c, email: `new-${c.email}` };
      await app.postEvents([customerUpserted(moved, await app.now(), 'Marta')]);
      const page = await (await fetch(prefs)).text();
      expect(page).toContain('no longer on this account');
      expect(page).not.toContain('Marta');
      expect(page).not.toContain(moved.email);
      expect(page).not.toContain('name="action" value="save"');
      const exported = await fetch(`${prefs}/export`);
      expect(exported.status).toBe(403);
      expect(await exported.text()).not.toContain(moved.email);
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
      for (const action of ['erase', 'erase-confirm', 'save']) {
        const body = `csrf=${csrf}&action=${action}&personalization=none`;
        const refused = await fetch(prefs, { method: 'POST', headers: form, body, redirect: 'manual' });
        expect(refused.status).toBe(403);
      }
      expect((await app.system.customers.getProfile(c.id))?.email).toBe(moved.email);
      expect((await app.system.customers.getProfile(c.id))?.personalization).not.toBe('none');

      // Unsubscribing still works, with the page's button and RFC 8058 one-click.
      const unsubscribeTopic = `csrf=${csrf}&action=unsubscribe-topic`;
      const button = await fetch(prefs, { method: 'POST', headers: form, body: unsubscribeTopic, redirect: 'manual' });
      expect(button.status).toBe(303);
      expect((await app.system.customers.getProfile(c.id))?.consent['cart_reminders']?.status).toBe('withdrawn');
      const oneClick = await fetch(unsubscribe, { method: 'POST', headers: form, body: 'List-Unsubscribe=One-Click' });
      expect(oneClick.status).toBe(200);
    });
  });

  describe('control characters in shop data', () => {
    it('are stripped at ingest and never reach a subject', async () => {
      const c = newCustomer();
      const at = await app.now();
      const profile = customerUpserted(c, at, 'Ada\u0007\u001b[31m\u0000\u0085\u202e');
      const cart = cartUpdated(c, at, [{ sku: 'MUG-1', name: 'Blue\u0000 mug\u001b', price: 12.5, currency: 'EUR', qty: 1 }]);
      const accepted = await app.postEvents([profile, consentGranted(c, at), cart]);
      expect(accepted.body.accepted).toHaveLength(3);
      await app.advance('PT1H');
      const [mail] = await app.inbox(c.email);
      expect(mail!.subject).toBe('Ada[31m, you left something in your cart');
      // eslint-disable-next-line no-control-regex -- asserts that none is left
      expect(mail!.subject).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
      expect(mail!.body.text).toContain('Blue mug');
      // eslint-disable-next-line no-control-regex -- asserts that none is left
      expect(mail!.body.text).not.toMatch(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/);
    });
  });

  describe('a render bomb already published (finding 2)', () => {
    let bombed: TestSystem;
    beforeAll(async () => {
      bombed = await startTestSystem();
      // As a version stored before the budget existed would be: precompiled, straight into the catalog, not through the publish check.
      const reminder = await compileTemplateSource(templatesDir(), 'abandoned-cart', await bombed.now());
      const strings: Record<string, string> = { ...reminder.locales.en!.strings };
      for (let level = 0; level < 30; level++) strings[`s${level}`] = `{{t "s${level + 1}"}}{{t "s${level + 1}"}}`;
      strings['s30'] = 'boom';
      const html = reminder.html.replace('</body>', `${FOUR_LOOPS}</body>`);
      const pl = { ...reminder.locales.pl!, subject: '{{t "s0"}}', strings: { ...reminder.locales.pl!.strings, ...strings } };
      const bomb = { ...reminder, version: 'b0b0b0b0b0b0', html, locales: { ...reminder.locales, pl } };
      await bombed.system.catalogStore.publishTemplate(bomb, precompileTemplate(bomb), { force: true });
    });
    afterAll(() => bombed.stop());

    it('ends each send with render-budget, counted, never retried, while other requests are answered', async () => {
      const at = await bombed.now();
      const items = Array.from({ length: 100 }, (_, i) => ({ ...defaultItems[0]!, sku: `MUG-${i}` }));
      const loops = newCustomer('en');
      const strings = newCustomer('pl');
      for (const c of [loops, strings]) {
        await bombed.postEvents([customerUpserted(c, at), consentGranted(c, at), cartUpdated(c, at, items)]);
      }
      const { result, health } = await healthDuring(bombed, bombed.advance('PT1H'));
      expect(health).toBe(200);
      expect(result).toMatchObject({ dispatched: 2, sent: 0, skipped: { 'render-budget': 2 } });
      for (const c of [loops, strings]) {
        expect(await bombed.inbox(c.email)).toHaveLength(0);
        const [job] = await bombed.system.customers.listJobs(c.id);
        expect(job).toMatchObject({ status: 'skipped', reason: 'render-budget', reasonDetail: 'abandoned-cart@b0b0b0b0b0b0: iterations' });
      }
      // Skipped once each: moving on sends nothing more and tries nothing again.
      expect((await bombed.advance('PT1H')).dispatched).toBe(0);
      const admin = { authorization: `Bearer ${bombed.system.adminKey}` };
      const report = await bombed.request('GET', '/admin/api/reports?campaign=abandoned-cart&since=7d', undefined, admin);
      expect(JSON.stringify(report.body)).toContain('"render-budget":2');
    });
  });
});
