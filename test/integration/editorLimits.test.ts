import { startTestSystem, type TestSystem } from './support/harness';

/**
 * The editors' renders are limited per signed-in person (docs/authoring.md): a save with its preview,
 * a preview and a simulation each validate and render on the admin function, so a script or a stuck
 * page that asks for them without pause is refused with when to try again, and cannot slow the console
 * for everyone else. The limit here is 3 a minute so that the test needs a handful of requests.
 */
describe('the console editors limit renders per person', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem({ previewsPerMinute: 3 });
  });
  afterAll(() => app.stop());

  interface Session {
    cookie: string;
    csrf: string;
    revision: number;
    parts: { locales: { en: { subject: string } } };
  }

  async function session(key: string): Promise<Session> {
    const signIn = await fetch(`${app.url}/admin/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key, next: '/admin' }).toString(),
      redirect: 'manual',
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = await (await fetch(`${app.url}/admin/templates/abandoned-cart/edit`, { headers: { cookie } })).text();
    const data = JSON.parse(/<script type="application\/json" id="editor-data">(.*?)<\/script>/s.exec(page)![1]!) as Omit<
      Session,
      'cookie'
    >;
    return { cookie, csrf: data.csrf, revision: data.revision, parts: data.parts };
  }

  const post = (s: Session, path: string, body: unknown) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': 'application/json', 'x-csrf-token': s.csrf, origin: app.url },
      body: JSON.stringify(body),
    });

  it('answers 429 with Retry-After past the limit, saves nothing then, and leaves other people alone', async () => {
    const publisher = await session(app.system.adminKey);
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await post(publisher, '/admin/templates/abandoned-cart/draft/preview', { parts: publisher.parts, locale: 'en' });
      answers.push(response.status);
    }
    expect(answers).toEqual([200, 200, 200]);

    publisher.parts.locales.en.subject = 'Refused, so never saved';
    const refused = await post(publisher, '/admin/templates/abandoned-cart/draft', {
      revision: publisher.revision,
      parts: publisher.parts,
      locale: 'en',
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: { path: string; message: string } };
    expect(body.error.message).toMatch(/^Too many previews in a minute: the next one can be asked for in (a second|\d+ seconds)\.$/);
    const draft = await app.request('GET', '/admin/api/templates/abandoned-cart/draft', undefined, {
      authorization: `Bearer ${app.system.adminKey}`,
    });
    expect(draft.body.parts.locales.en.subject).not.toBe('Refused, so never saved');

    // Someone else signed in is not held back by the publisher's renders.
    const editor = await session(app.system.editorKey);
    const theirs = await post(editor, '/admin/templates/abandoned-cart/draft/preview', { parts: editor.parts, locale: 'en' });
    expect(theirs.status).toBe(200);
  });
});
