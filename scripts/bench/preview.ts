import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleScript, CONSOLE_SCRIPTS } from '../../functions/adapters/consoleAssets/consoleAssets';
import { startDynamoLocal, startSesLocal } from '../../functions/local/services';
import { startLocalSystem } from '../../functions/local/system';
import { listTemplateNames, templatesDir } from '../../functions/publishing/templateSource';

/**
 * The console editor's live preview, as a marketer's browser calls it: sign in, open each shipped
 * template's editor, then change its English subject and save again and again — each call saves the
 * draft (DynamoDB Local), validates it as `templates validate` does, compiles the MJML and renders the
 * preview through the send path's renderer. Latency per call over every shipped template, and the
 * editors' scripts as served, gzipped.
 */
export interface PreviewResult {
  templates: string[];
  savesPerTemplate: number;
  latencyMs: { p50: number; p95: number; max: number };
  perTemplateP95Ms: Record<string, number>;
  /**
   * This process's CPU per save (the console's handler and the bench's client; DynamoDB Local runs apart):
   * less at the machine's mercy than latency.
   */
  cpuMsPerSave: number;
  /** The machine's load while it ran: latency on a shared machine is read with it. */
  loadAverage: number;
  bundleGzipBytes: Record<string, number>;
  bundleBytes: Record<string, number>;
}

const percentile = (sorted: number[], p: number): number =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;

interface EditorPage {
  csrf: string;
  revision: number;
  parts: { locales: { en: { subject: string } } };
}

export async function benchPreview(savesPerTemplate = 20, warmup = 3): Promise<PreviewResult> {
  const [dynamo, ses] = await Promise.all([startDynamoLocal({ port: 0 }), startSesLocal({ port: 0 })]);
  const system = await startLocalSystem({
    port: 0,
    dynamodbEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    tablePrefix: 'preview-',
    sweepIntervalMs: 0,
    keyFile: join(mkdtempSync(join(tmpdir(), 'tactful-preview-')), 'token.key'),
  });
  try {
    const signIn = await fetch(`${system.url}/admin/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key: system.adminKey, next: '/admin' }).toString(),
      redirect: 'manual',
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    if (!cookie.startsWith('tactful_admin=')) throw new Error(`sign-in failed: ${signIn.status}`);
    const templates = listTemplateNames(templatesDir());
    const all: number[] = [];
    let cpuMicros = 0;
    const perTemplateP95Ms: Record<string, number> = {};
    for (const name of templates) {
      const html = await (await fetch(`${system.url}/admin/templates/${name}/edit`, { headers: { cookie } })).text();
      const json = /<script type="application\/json" id="editor-data">(.*?)<\/script>/s.exec(html)?.[1];
      if (!json) throw new Error(`no editor for ${name}`);
      const page = JSON.parse(json) as EditorPage;
      let revision = page.revision;
      const times: number[] = [];
      for (let i = 0; i < warmup + savesPerTemplate; i++) {
        page.parts.locales.en.subject = `${page.parts.locales.en.subject.replace(/ #\d+$/, '')} #${i}`;
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        const response = await fetch(`${system.url}/admin/templates/${name}/draft`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': page.csrf },
          body: JSON.stringify({ revision, parts: page.parts, locale: 'en' }),
        });
        const answer = (await response.json()) as { revision: number; preview?: { subject: string }; previewError?: string };
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        if (response.status !== 200 || !answer.preview?.subject.endsWith(`#${i}`))
          throw new Error(`${name}: save ${i} answered ${response.status} ${answer.previewError ?? ''}`);
        revision = answer.revision;
        if (i >= warmup) {
          times.push(ms);
          cpuMicros += cpu.user + cpu.system;
        }
      }
      times.sort((a, b) => a - b);
      perTemplateP95Ms[name] = percentile(times, 95);
      all.push(...times);
    }
    all.sort((a, b) => a - b);
    const bundleGzipBytes: Record<string, number> = {};
    const bundleBytes: Record<string, number> = {};
    for (const script of CONSOLE_SCRIPTS) {
      const asset = await consoleScript(script);
      bundleGzipBytes[script] = asset.gzipBytes;
      bundleBytes[script] = Buffer.byteLength(asset.body);
    }
    return {
      templates,
      savesPerTemplate,
      latencyMs: { p50: percentile(all, 50), p95: percentile(all, 95), max: Math.round(all[all.length - 1]! * 10) / 10 },
      perTemplateP95Ms,
      cpuMsPerSave: Math.round(cpuMicros / 100 / all.length) / 10,
      loadAverage: Math.round(loadavg()[0]! * 10) / 10,
      bundleGzipBytes,
      bundleBytes,
    };
  } finally {
    await system.stop();
    await Promise.all([dynamo.stop(), ses.stop()]);
  }
}
