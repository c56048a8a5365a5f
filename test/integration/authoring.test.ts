import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileTemplateSource, templatesDir } from '../../functions/publishing/templateSource';
import { cartUpdated, customerWithConsent, runCli, sendMessageFor, startTestSystem, type TestSystem } from './support/harness';

/**
 * Marketers change what sends from the admin API: drafts with revisions, publish through validation,
 * campaign versions and rollback, a pause that holds due steps, roles, and a log of who did what.
 */
describe('authoring: drafts, publishing, pause and roles', () => {
  let app: TestSystem;
  const admin = () => ({ authorization: `Bearer ${app.system.adminKey}` });
  const editor = () => ({ authorization: `Bearer ${app.system.editorKey}` });
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  async function jobsOf(customerId: string) {
    return (await app.request('GET', `/admin/api/customers/${customerId}/jobs`, undefined, admin())).body as {
      jobs: { jobId: string; customerId: string; stepId: string; instanceId: string; status: string }[];
      log: { outcome: string; reason?: string; campaignId: string }[];
    };
  }

  it('a paused campaign holds its due reminder; resume sends it once, never twice with a redelivered message', async () => {
    const c = await customerWithConsent(app);
    await app.postEvents([cartUpdated(c, await app.now())]);
    const paused = await app.request('POST', '/admin/api/campaigns/abandoned-cart/pause', undefined, admin());
    expect(paused).toMatchObject({ status: 200, body: { campaignId: 'abandoned-cart', paused: true } });

    await app.advance('PT1H');
    expect(await app.inbox(c.email)).toHaveLength(0);
    const held = await jobsOf(c.id);
    expect(held.log).toEqual([expect.objectContaining({ outcome: 'deferred', reason: 'paused', campaignId: 'abandoned-cart' })]);
    const day = (await app.now()).slice(0, 10);
    const log = await app.request('GET', `/admin/api/campaigns/abandoned-cart/log?day=${day}`, undefined, admin());
    expect(log.body.counts['deferred:paused']).toBeGreaterThanOrEqual(1);
    // Held for days: nothing is sent while paused, however often the sweep looks.
    await app.advance('P2D');
    expect(await app.inbox(c.email)).toHaveLength(0);
    const message = sendMessageFor(held.jobs[0]!);

    const resumed = await app.request('POST', '/admin/api/campaigns/abandoned-cart/resume', undefined, admin());
    expect(resumed).toMatchObject({ status: 200, body: { campaignId: 'abandoned-cart', paused: false } });
    expect(resumed.body.released).toBeGreaterThanOrEqual(1);
    await app.advance('PT1M');
    expect(await app.inbox(c.email)).toHaveLength(1);
    // The queue delivers the old message again: the step was claimed and recorded once.
    app.system.sendQueue.send([message, message]);
    await app.system.sendQueue.drain();
    await app.advance('PT1M');
    expect(await app.inbox(c.email)).toHaveLength(1);
    expect((await jobsOf(c.id)).log.filter((e) => e.outcome === 'sent')).toHaveLength(1);
    // Held for two days, the series goes on from the resume with its own spacing: the 24 h reminder
    // comes 23 h after the 1 h one, not at once with it.
    await app.advance('PT22H');
    expect(await app.inbox(c.email)).toHaveLength(1);
    await app.advance('PT2H');
    expect(await app.inbox(c.email)).toHaveLength(2);
  });

  it('a step held by a container that had not seen the resume yet goes out with the next sweep', async () => {
    const c = await customerWithConsent(app);
    await app.postEvents([cartUpdated(c, await app.now())]);
    await app.advance('PT30M');
    const job = (await app.request('GET', `/admin/api/customers/${c.id}/jobs`, undefined, admin())).body.jobs[0];
    // As a send container with a stale view of the pause would: the campaign is running.
    expect(await app.system.jobs.hold(job, await app.now())).toBe(true);
    await app.advance('PT1H');
    expect(await app.inbox(c.email)).toHaveLength(1);
  });

  it('whenPaused "skip" skips due steps of a paused campaign with reason paused', async () => {
    const draft = await app.request('GET', '/admin/api/campaigns/abandoned-cart/draft', undefined, admin());
    const parts = { ...draft.body.parts, whenPaused: 'skip' };
    const saved = await app.request('PUT', '/admin/api/campaigns/abandoned-cart/draft', { revision: draft.body.revision, parts }, admin());
    expect(saved.body.validation).toEqual({ ok: true, errors: [], warnings: [] });
    expect((await app.request('POST', '/admin/api/campaigns/abandoned-cart/draft/publish', undefined, admin())).status).toBe(201);
    const c = await customerWithConsent(app);
    await app.postEvents([cartUpdated(c, await app.now())]);
    await app.request('POST', '/admin/api/campaigns/abandoned-cart/pause', undefined, admin());
    await app.advance('PT1H');
    await app.request('POST', '/admin/api/campaigns/abandoned-cart/resume', undefined, admin());
    await app.advance('PT1M');
    expect(await app.inbox(c.email)).toHaveLength(0);
    expect((await jobsOf(c.id)).log).toEqual([expect.objectContaining({ outcome: 'skipped', reason: 'paused' })]);
    // Back to the version without whenPaused.
    const versions = await app.request('GET', '/admin/api/campaigns/abandoned-cart/versions', undefined, admin());
    const previous = versions.body.versions[1].version as number;
    const back = await app.request('POST', '/admin/api/campaigns/abandoned-cart/rollback', { version: previous }, admin());
    expect(back).toMatchObject({ status: 200, body: { campaignId: 'abandoned-cart', version: previous } });
  });

  it('a template draft saves over its own revision only: a stale save gets 409 saying what changed', async () => {
    const first = await app.request('GET', '/admin/api/templates/win-back/draft', undefined, editor());
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ name: 'win-back', revision: 0, validation: { ok: true } });
    expect(Object.keys(first.body.parts).sort()).toEqual(['description', 'fields', 'locales', 'mjml', 'samples', 'text']);
    const parts = first.body.parts;
    const mine = await app.request(
      'PUT',
      '/admin/api/templates/win-back/draft',
      { revision: 0, parts: { ...parts, locales: { ...parts.locales, en: { ...parts.locales.en, subject: 'We miss you' } } } },
      editor(),
    );
    expect(mine).toMatchObject({ status: 200, body: { revision: 1, validation: { ok: true } } });
    // A second editor loaded revision 0 too and saves a change of the plain text.
    const theirs = await app.request(
      'PUT',
      '/admin/api/templates/win-back/draft',
      { revision: 0, parts: { ...parts, text: `${parts.text}\nP.S.` } },
      admin(),
    );
    expect(theirs.status).toBe(409);
    expect(theirs.body.error).toMatchObject({ path: 'revision' });
    expect(theirs.body.current).toMatchObject({ revision: 1, savedBy: 'editor-key', changed: ['locales.en', 'text'] });
    const without = await app.request('PUT', '/admin/api/templates/win-back/draft', { parts }, admin());
    expect(without.status).toBe(409);
    const malformed = await app.request(
      'PUT',
      '/admin/api/templates/win-back/draft',
      { revision: 1, parts: { ...parts, mjml: 42 } },
      editor(),
    );
    expect(malformed).toMatchObject({ status: 400, body: { error: { path: 'parts.mjml' } } });
    expect((await app.request('GET', '/admin/api/templates/no-such-template/draft', undefined, editor())).status).toBe(404);
  });

  it('an invalid draft is saved but does not publish: 422 with the validation, the line of a Handlebars error', async () => {
    const { body } = await app.request('GET', '/admin/api/templates/loyalty/draft', undefined, admin());
    const broken = { ...body.parts, mjml: body.parts.mjml.replace('</mj-body>', '{{#if customer.firstName}}\n</mj-body>') };
    const saved = await app.request('PUT', '/admin/api/templates/loyalty/draft', { revision: body.revision, parts: broken }, admin());
    expect(saved.status).toBe(200);
    expect(saved.body.validation.ok).toBe(false);
    const handlebars = saved.body.validation.errors.find((e: { message: string }) => e.message.startsWith('Handlebars'));
    expect(handlebars).toMatchObject({ part: 'mjml', line: expect.any(Number) });
    const publish = await app.request('POST', '/admin/api/templates/loyalty/draft/publish', undefined, admin());
    expect(publish.status).toBe(422);
    expect(publish.body.validation).toEqual(saved.body.validation);
  });

  it('a published draft reaches the next send; an editor may save but not publish (403 naming the role)', async () => {
    const { body } = await app.request('GET', '/admin/api/templates/abandoned-cart/draft', undefined, editor());
    const parts = {
      ...body.parts,
      locales: { ...body.parts.locales, en: { ...body.parts.locales.en, subject: '{{customer.firstName}}, your cart misses you' } },
    };
    const saved = await app.request('PUT', '/admin/api/templates/abandoned-cart/draft', { revision: body.revision, parts }, editor());
    expect(saved.body.validation.ok).toBe(true);
    const refused = await app.request('POST', '/admin/api/templates/abandoned-cart/draft/publish', undefined, editor());
    expect(refused).toMatchObject({
      status: 403,
      body: { error: { path: 'role', message: 'needs the publisher role; editor-key is an editor' } },
    });
    expect((await app.request('POST', '/admin/api/campaigns/abandoned-cart/pause', undefined, editor())).status).toBe(403);
    // A shop's API key is a publisher's to create or revoke; an editor may read the list.
    expect((await app.request('POST', '/admin/api/keys', { name: 'erp' }, editor())).status).toBe(403);
    expect((await app.request('GET', '/admin/api/keys', undefined, editor())).status).toBe(200);
    const published = await app.request('POST', '/admin/api/templates/abandoned-cart/draft/publish', undefined, admin());
    expect(published.status).toBe(201);
    expect(published.body.version).toMatch(/^[0-9a-f]{12}$/);

    const c = await customerWithConsent(app);
    await app.postEvents([cartUpdated(c, await app.now())]);
    await app.advance('PT1H');
    expect((await app.inbox(c.email)).map((m) => m.subject)).toEqual(['Ada, your cart misses you']);
  });

  it("a variant's subject is precompiled when its campaign publishes or rolls back: one that cannot be is named", async () => {
    const draft = async () => (await app.request('GET', '/admin/api/campaigns/abandoned-cart/draft', undefined, admin())).body;
    const save = async (variants: unknown) => {
      const { revision, parts } = await draft();
      return app.request('PUT', '/admin/api/campaigns/abandoned-cart/draft', { revision, parts: { ...parts, variants } }, admin());
    };
    const publish = () => app.request('POST', '/admin/api/campaigns/abandoned-cart/draft/publish', undefined, admin());
    const subjectOfNextReminder = async () => {
      const c = await customerWithConsent(app);
      await app.postEvents([cartUpdated(c, await app.now())]);
      await app.advance('PT1H');
      return (await app.inbox(c.email)).map((m) => m.subject);
    };
    const before = (await app.request('GET', '/admin/api/campaigns/abandoned-cart/versions', undefined, admin())).body.versions[0].version;

    const broken = await save([{ id: 'a', weight: 1, subject: { en: 'Hi {{#if customer.firstName}}' } }]);
    expect(broken.body.validation.errors).toEqual([{ part: 'variants[0].subject.en', message: expect.stringContaining('Parse error') }]);
    expect((await publish()).status).toBe(422);

    await save([{ id: 'a', weight: 1, subject: { en: 'Psst, {{customer.firstName}}' } }]);
    const withSubject = await publish();
    expect(withSubject.status).toBe(201);
    expect(await subjectOfNextReminder()).toEqual(['Psst, Ada']);

    // Rolled back to, a version's subjects are precompiled again: the kept definition holds their source only.
    await save(undefined);
    expect((await publish()).status).toBe(201);
    const rollback = (version: number) => app.request('POST', '/admin/api/campaigns/abandoned-cart/rollback', { version }, admin());
    expect((await rollback(withSubject.body.version)).status).toBe(200);
    expect(await subjectOfNextReminder()).toEqual(['Psst, Ada']);
    await rollback(before);
  });

  it('a campaign step that a new version removed is skipped with reason step-removed', async () => {
    const c = await customerWithConsent(app);
    await app.postEvents([cartUpdated(c, await app.now())]);
    const { body } = await app.request('GET', '/admin/api/campaigns/abandoned-cart/draft', undefined, admin());
    const parts = { ...body.parts, steps: body.parts.steps.slice(1) };
    await app.request('PUT', '/admin/api/campaigns/abandoned-cart/draft', { revision: body.revision, parts }, admin());
    expect((await app.request('POST', '/admin/api/campaigns/abandoned-cart/draft/publish', undefined, admin())).status).toBe(201);
    await app.advance('PT1H');
    expect(await app.inbox(c.email)).toHaveLength(0);
    expect((await jobsOf(c.id)).log).toEqual([expect.objectContaining({ outcome: 'skipped', reason: 'step-removed' })]);
    const versions = await app.request('GET', '/admin/api/campaigns/abandoned-cart/versions', undefined, admin());
    await app.request('POST', '/admin/api/campaigns/abandoned-cart/rollback', { version: versions.body.versions[1].version }, admin());
  });

  it('a step whose pinned template version is not published is skipped with reason template-removed', async () => {
    const c = await customerWithConsent(app);
    await app.postEvents([cartUpdated(c, await app.now())]);
    const running = (await app.system.catalogStore.listCampaigns()).find((x) => x.id === 'abandoned-cart')!;
    // Written past validation, as an old deploy or a damaged item could have left it.
    const pinned = { ...running, steps: running.steps.map((step, i) => (i === 0 ? { ...step, templateVersion: '0123456789ab' } : step)) };
    await app.system.catalogStore.putCampaign(pinned, await app.now(), { rolledBack: true });
    // Any change through the admin API refreshes this process's catalog cache: pausing another campaign will do.
    await app.request('POST', '/admin/api/campaigns/win-back/pause', undefined, admin());
    await app.advance('PT1H');
    expect(await app.inbox(c.email)).toHaveLength(0);
    expect((await jobsOf(c.id)).log).toEqual([expect.objectContaining({ outcome: 'skipped', reason: 'template-removed' })]);
    await app.system.catalogStore.putCampaign(running, await app.now(), { rolledBack: true });
    await app.request('POST', '/admin/api/campaigns/win-back/resume', undefined, admin());
  });

  it('a campaign draft is validated as a deploy is: unknown templates and bad fields are named', async () => {
    const { body } = await app.request('GET', '/admin/api/campaigns/win-back/draft', undefined, editor());
    const parts = { ...body.parts, steps: [{ ...body.parts.steps[0], template: 'nowhere', delay: 'soon' }] };
    const saved = await app.request('PUT', '/admin/api/campaigns/win-back/draft', { revision: body.revision, parts }, editor());
    expect(saved.status).toBe(200);
    expect(saved.body.validation.errors).toEqual([
      expect.objectContaining({ part: 'steps[0].delay', message: expect.stringContaining('ISO-8601') }),
    ]);
    const next = await app.request(
      'PUT',
      '/admin/api/campaigns/win-back/draft',
      { revision: saved.body.revision, parts: { ...parts, steps: [{ ...parts.steps[0], delay: 'P90D' }] } },
      editor(),
    );
    expect(next.body.validation.errors).toEqual([{ part: 'steps[0].template', message: 'no published template named "nowhere"' }]);
    expect((await app.request('POST', '/admin/api/campaigns/win-back/draft/publish', undefined, admin())).status).toBe(422);
    const badId = await app.request('GET', '/admin/api/campaigns/..%2Fx/draft', undefined, admin());
    expect(badId).toMatchObject({ status: 400, body: { error: { path: 'campaignId' } } });
  });

  it('the API publish path validates on the server: no footer is 422; bad names, versions and keys are 400', async () => {
    const reminder = await compileTemplateSource(templatesDir(), 'abandoned-cart', await app.now());
    const mjml = reminder.source!['template.mjml']!.replace(/\{\{links\.unsubscribe\}\}/g, '');
    const noFooter = {
      ...reminder,
      source: { ...reminder.source, 'template.mjml': mjml },
      html: reminder.html.replace(/\{\{links\.unsubscribe\}\}/g, ''),
    };
    const refused = await app.request('POST', '/admin/api/templates/abandoned-cart/versions', noFooter, admin());
    expect(refused.status).toBe(422);
    expect(refused.body.validation.errors).toEqual(
      expect.arrayContaining([{ part: 'mjml', message: 'the footer must show {{links.unsubscribe}}' }]),
    );
    const markup = await app.request('POST', '/admin/api/templates/abandoned-cart/versions', { ...reminder, version: '<b>1</b>' }, admin());
    expect(markup).toMatchObject({ status: 400, body: { error: { path: 'version' } } });
    const traversal = await app.request('POST', '/admin/api/templates/..%2Fx/versions', { ...reminder, name: '../x' }, admin());
    expect(traversal).toMatchObject({ status: 400, body: { error: { path: 'name' } } });
    const en = reminder.locales.en!;
    const polluted = JSON.parse(
      JSON.stringify({ ...reminder, locales: { ...reminder.locales, en: { ...en, strings: { ...en.strings, constructor: 'x' } } } }),
    );
    const keyed = await app.request('POST', '/admin/api/templates/abandoned-cart/versions', polluted, admin());
    expect(keyed).toMatchObject({ status: 400, body: { error: { path: 'locales.en.strings.constructor' } } });
    const { body } = await app.request('GET', '/admin/api/templates/abandoned-cart/draft', undefined, admin());
    const sample = {
      ...body.parts,
      samples: {
        ...body.parts.samples,
        default: { ...body.parts.samples.default, data: { ...body.parts.samples.default.data, constructor: {} } },
      },
    };
    const draftKeyed = await app.request(
      'PUT',
      '/admin/api/templates/abandoned-cart/draft',
      { revision: body.revision, parts: sample },
      admin(),
    );
    expect(draftKeyed).toMatchObject({ status: 400, body: { error: { path: 'parts.samples.default.data.constructor' } } });
    // A valid version still publishes, from the source the server compiled.
    const fine = await app.request('POST', '/admin/api/templates/abandoned-cart/versions', reminder, admin());
    expect([200, 201]).toContain(fine.status);
  });

  it('at most 10 test sends a minute per person: the 11th gets 429 with Retry-After; each is in the change log', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const sent = await app.request('POST', '/admin/api/templates/win-back/test-send', { to: `tester-${i}@shop.example` }, editor());
      statuses.push(sent.status);
      if (sent.status === 429) expect(Number(sent.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([...Array(10).fill(202), 429]);
    const { body } = await app.request('GET', '/admin/api/changes', undefined, editor());
    const tests = body.changes.filter((c: { action: string; actor: string }) => c.action === 'test-send' && c.actor === 'editor-key');
    expect(tests).toHaveLength(10);
    expect(JSON.stringify(body.changes)).not.toContain('tester-');
    // The publisher's own minute is untouched.
    expect((await app.request('POST', '/admin/api/templates/win-back/test-send', { to: 'me@shop.example' }, admin())).status).toBe(202);
  });

  it('the change log lists each action with its actor, newest first; draft saves coalesce', async () => {
    const { body } = await app.request('GET', '/admin/api/changes', undefined, editor());
    const changes = body.changes as { at: string; actor: string; action: string; subject: string; summary: string }[];
    const seen = (action: string, subject: string, actor: string) =>
      changes.some((c) => c.action === action && c.subject === subject && c.actor === actor);
    expect(seen('paused', 'campaign:abandoned-cart', 'admin-key')).toBe(true);
    expect(seen('resumed', 'campaign:abandoned-cart', 'admin-key')).toBe(true);
    expect(seen('published', 'template:abandoned-cart', 'admin-key')).toBe(true);
    expect(seen('published', 'campaign:abandoned-cart', 'admin-key')).toBe(true);
    expect(seen('rolled-back', 'campaign:abandoned-cart', 'admin-key')).toBe(true);
    expect(seen('draft-saved', 'template:win-back', 'editor-key')).toBe(true);
    expect(seen('test-send', 'template:win-back', 'admin-key')).toBe(true);
    expect(changes.map((c) => c.at)).toEqual([...changes.map((c) => c.at)].sort().reverse());
    // The two saves of the win-back campaign draft by the editor are one entry.
    expect(changes.filter((c) => c.action === 'draft-saved' && c.subject === 'campaign:win-back')).toHaveLength(1);
  });
});

describe('files stay first-class: the CLI pulls, pushes, publishes, pauses and resumes', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());
  const env = () => ({ TACTFUL_URL: app.url, TACTFUL_ADMIN_KEY: app.system.adminKey });

  it('templates pull writes a folder; an edited folder pushed with --publish reaches the next send', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tactful-pull-'));
    const pulled = await runCli(['templates', 'pull', 'abandoned-cart', '--dir', dir], env());
    expect(pulled).toMatchObject({ code: 0, stdout: expect.stringContaining('the published version written to') });
    const en = join(dir, 'abandoned-cart', 'locales', 'en.json');
    expect(readFileSync(join(dir, 'abandoned-cart', 'template.mjml'), 'utf8')).toBe(
      readFileSync(join(templatesDir(), 'abandoned-cart', 'template.mjml'), 'utf8'),
    );
    writeFileSync(en, JSON.stringify({ ...JSON.parse(readFileSync(en, 'utf8')), subject: '{{customer.firstName}}, from CI' }, null, 2));
    const pushed = await runCli(['templates', 'push', 'abandoned-cart', '--dir', dir, '--publish'], env());
    expect(pushed.stdout).toMatch(/abandoned-cart: saved as draft revision 1, valid\nabandoned-cart: published as version [0-9a-f]{12}/);
    const c = await customerWithConsent(app);
    await app.postEvents([cartUpdated(c, await app.now())]);
    await app.advance('PT1H');
    expect((await app.inbox(c.email)).map((m) => m.subject)).toEqual(['Ada, from CI']);

    // A folder that does not validate is saved as the draft, and the push fails.
    writeFileSync(join(dir, 'abandoned-cart', 'template.txt.hbs'), 'no footer at all');
    const broken = await runCli(['templates', 'push', 'abandoned-cart', '--dir', dir, '--publish'], env());
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('error   text the footer must show {{links.unsubscribe}}');
  });

  it('campaigns pull and push round-trip campaign.json; pause and resume from the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tactful-campaigns-'));
    cpSync(templatesDir(), dir, { recursive: true });
    const file = join(dir, 'win-back', 'campaign.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), priority: 15 }, null, 2));
    const pushed = await runCli(['campaigns', 'push', 'win-back', '--dir', dir, '--publish'], env());
    expect(pushed).toMatchObject({ code: 0, stdout: expect.stringMatching(/win-back: published as version \d+/) });
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), priority: 99 }, null, 2));
    const pulled = await runCli(['campaigns', 'pull', 'win-back', '--dir', dir], env());
    expect(pulled.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ id: 'win-back', priority: 15 });

    const paused = await runCli(['campaigns', 'pause', 'win-back'], env());
    expect(paused).toMatchObject({ code: 0, stdout: 'win-back is paused: due steps are held until resume\n' });
    const resumed = await runCli(['campaigns', 'resume', 'win-back'], env());
    expect(resumed).toMatchObject({ code: 0, stdout: expect.stringContaining('win-back is running again') });
  });
});

describe('four eyes (REQUIRE_APPROVAL)', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem({ requireApproval: true, testSendAllowlist: ['*@shop.example'] });
  });
  afterAll(() => app.stop());

  it('a publish waits for a second publisher; the one who asked cannot approve it', async () => {
    const admin = { authorization: `Bearer ${app.system.adminKey}` };
    const { body } = await app.request('GET', '/admin/api/campaigns/win-back/draft', undefined, admin);
    await app.request(
      'PUT',
      '/admin/api/campaigns/win-back/draft',
      { revision: body.revision, parts: { ...body.parts, priority: 20 } },
      admin,
    );
    const asked = await app.request('POST', '/admin/api/campaigns/win-back/draft/publish', undefined, admin);
    expect(asked).toMatchObject({ status: 202, body: { awaitingApproval: { requestedBy: 'admin-key' } } });
    const self = await app.request('POST', '/admin/api/campaigns/win-back/draft/approve', undefined, admin);
    expect(self).toMatchObject({
      status: 403,
      body: { error: { path: 'approval', message: expect.stringContaining('second publisher') } },
    });
    const editor = await app.request('POST', '/admin/api/campaigns/win-back/draft/approve', undefined, {
      authorization: `Bearer ${app.system.editorKey}`,
    });
    expect(editor.status).toBe(403);
  });

  it('test sends go only to the allow-list', async () => {
    const admin = { authorization: `Bearer ${app.system.adminKey}` };
    const outside = await app.request('POST', '/admin/api/templates/win-back/test-send', { to: 'someone@elsewhere.example' }, admin);
    expect(outside).toMatchObject({ status: 403, body: { error: { path: 'to', message: expect.stringContaining('allow-list') } } });
    expect((await app.request('POST', '/admin/api/templates/win-back/test-send', { to: 'me@shop.example' }, admin)).status).toBe(202);
  });
});
