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
   * The same saves while the MJML changes instead (a comment added each time): the MJML compile, kept
   * between saves otherwise, runs on each. Not a target: what typing in the MJML tab costs.
   */
  mjmlEditLatencyMs: { p50: number; p95: number; max: number };
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
  parts: { mjml: string; locales: { en: { subject: string } } };
}

const latency = (sorted: number[]) => ({
  p50: percentile(sorted, 50),
  p95: percentile(sorted, 95),
  max: Math.round(sorted[sorted.length - 1]! * 10) / 10,
});

export async function benchPreview(savesPerTemplate = 20, warmup = 3): Promise<PreviewResult> {
  const [dynamo, ses] = await Promise.all([startDynamoLocal({ port: 0 }), startSesLocal({ port: 0 })]);
  const system = await startLocalSystem({
    port: 0,
    dynamodbEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    tablePrefix: 'preview-',
    sweepIntervalMs: 0,
    keyFile: join(mkdtempSync(join(tmpdir(), 'tactful-preview-')), 'token.key'),
    // Back-to-back saves, faster than the editor asks: the latency is measured here, not the limit.
    previewsPerMinute: 100_000,
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
    const mjmlTimes: number[] = [];
    let cpuMicros = 0;
    const perTemplateP95Ms: Record<string, number> = {};
    for (const name of templates) {
      const html = await (await fetch(`${system.url}/admin/templates/${name}/edit`, { headers: { cookie } })).text();
      const json = /<script type="application\/json" id="editor-data">(.*?)<\/script>/s.exec(html)?.[1];
      if (!json) throw new Error(`no editor for ${name}`);
      const page = JSON.parse(json) as EditorPage;
      let revision = page.revision;
      const source = page.parts.mjml;
      /** Saves `n` times after `warmup`, changing the draft with `edit` each time; the latencies and this process's CPU. */
      const saves = async (n: number, edit: (i: number) => void): Promise<{ times: number[]; cpu: number }> => {
        const times: number[] = [];
        let cpuSpent = 0;
        for (let i = 0; i < warmup + n; i++) {
          edit(i);
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
          if (response.status !== 200 || !answer.preview?.subject.endsWith(`#${page.parts.locales.en.subject.split('#')[1]}`))
            throw new Error(`${name}: save ${i} answered ${response.status} ${answer.previewError ?? ''}`);
          revision = answer.revision;
          if (i >= warmup) {
            times.push(ms);
            cpuSpent += cpu.user + cpu.system;
          }
        }
        return { times, cpu: cpuSpent };
      };
      const subjectSaves = await saves(savesPerTemplate, (i) => {
        page.parts.locales.en.subject = `${page.parts.locales.en.subject.replace(/ #\d+$/, '')} #${i}`;
      });
      const times = subjectSaves.times;
      cpuMicros += subjectSaves.cpu;
      const mjmlSaves = await saves(Math.ceil(savesPerTemplate / 2), (i) => {
        page.parts.mjml = source.replace('</mjml>', `<!-- edit ${i} --></mjml>`);
      });
      mjmlTimes.push(...mjmlSaves.times);
      page.parts.mjml = source;
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
      latencyMs: latency(all),
      perTemplateP95Ms,
      mjmlEditLatencyMs: latency(mjmlTimes.sort((a, b) => a - b)),
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
