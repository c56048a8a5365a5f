/**
 * `npm run bench` (not part of npm test): rendering, the pipeline through the real local stack, cold
 * starts and memory, as ratios measured in one run. Writes bench/results.json (a full run) and
 * bench/last-run.json (what this run measured, partial or full) and prints a table. The pipeline part
 * also bills a metered run as AWS would (billing/): write and read units and the cost per million emails.
 *   npm run bench -- --customers 2000    a quicker pipeline run
 *   npm run bench -- --only pipeline     one part (rendering, coldStart, memory, pipeline, load, ingest, preview, broadcast;
 *                                        comma-separated): prints its figures and leaves bench/results.json as the last full run
 *   npm run bench -- --only broadcast --profiles 2000   a quicker broadcast run (default 20,000 profiles)
 */
import { cpus, freemem, totalmem } from 'node:os';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchColdStart, writeJson } from './coldStart';
import { benchLoad } from './load';
import { benchIngest } from './ingest';
import { benchMemory } from './memory';
import { benchPipeline } from './pipeline';
import { benchPipelineUnits } from './billing/pipelineUnits';
import { benchRendering } from './render';
import { benchPreview } from './preview';
import { benchSendShare } from './sendShare';
import { benchBroadcastPart, broadcastChecks, broadcastMissedBy, printBroadcast } from './broadcastPart';
import { logger } from '../../functions/shared/logger';

const TARGETS = {
  renderRatio: 300,
  /** The renderer's share of the send process's CPU per email (sendShare.ts). */
  renderShareOfSendCpu: 0.02,
  dynamoRequestsPerEmail: 4,
  shareOfRawConditionalWriteRate: 0.5,
  sendBundleBytes: 1024 * 1024,
  initRatio: 1.5,
  ingestRatio: 0.8,
  previewP95Ms: 150,
  editorBundleGzipBytes: 400 * 1024,
};

const PARTS = ['rendering', 'coldStart', 'memory', 'pipeline', 'load', 'ingest', 'preview', 'broadcast'] as const;
type Part = (typeof PARTS)[number];

async function main(): Promise<void> {
  logger.setLogLevel('CRITICAL');
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const { values } = parseArgs({
    options: { customers: { type: 'string', default: '10000' }, profiles: { type: 'string', default: '20000' }, only: { type: 'string' } },
  });
  const customers = Number(values.customers);
  if (!Number.isInteger(customers) || customers < 10) throw new Error('--customers must be a whole number ≥ 10');
  const profiles = Number(values.profiles);
  if (!Number.isInteger(profiles) || profiles < 10) throw new Error('--profiles must be a whole number ≥ 10');
  const only = values.only?.split(',').map((p) => p.trim());
  const unknown = only?.filter((p) => !(PARTS as readonly string[]).includes(p)) ?? [];
  if (unknown.length > 0) throw new Error(`--only takes ${PARTS.join(', ')}; not ${unknown.join(', ')}`);
  const runs = (part: Part): boolean => !only || only.includes(part);

  const rendering = runs('rendering') ? (console.log('rendering…'), await benchRendering()) : undefined;
  const renderShare = runs('rendering') ? (console.log('rendering in the send process…'), await benchSendShare()) : undefined;
  const coldStart = runs('coldStart') ? (console.log('cold start…'), await benchColdStart()) : undefined;
  const memory = runs('memory') ? (console.log('memory…'), await benchMemory()) : undefined;
  const pipeline = runs('pipeline') ? (console.log(`pipeline with ${customers} customers…`), await benchPipeline(customers)) : undefined;
  // What AWS would bill per email, in a metered run of its own (the meter would slow the timed one).
  const units = pipeline ? (console.log('pipeline: billed units…'), await benchPipelineUnits(Math.min(customers, 1000))) : undefined;
  const pipelineWithUnits =
    pipeline && units
      ? {
          ...pipeline,
          billedWriteUnitsPerEmail: units.billedWriteUnitsPerEmail,
          billedReadUnitsPerEmail: units.billedReadUnitsPerEmail,
          awsCostPerMillionEmailsUsd: units.awsCostPerMillionEmailsUsd,
          billing: units,
        }
      : pipeline;
  const load = runs('load') ? (console.log('load on POST /events…'), await benchLoad()) : undefined;
  const ingest = runs('ingest') ? (console.log('ingest: /v1/batch against POST /events…'), await benchIngest()) : undefined;
  const preview = runs('preview') ? (console.log('console: save a draft and render its preview…'), await benchPreview()) : undefined;
  const broadcast = runs('broadcast') ? await benchBroadcastPart(profiles, pipeline) : undefined;

  const cart = rendering?.find((r) => r.template === 'abandoned-cart');
  const checks: (readonly [string, string, string, boolean])[] = [];
  if (cart) {
    checks.push([
      'render: abandoned-cart vs MJML per send',
      `${cart.ratio}×`,
      `≥ ${TARGETS.renderRatio}×`,
      cart.ratio >= TARGETS.renderRatio,
    ]);
  }
  if (renderShare) {
    const share = renderShare.renderShare;
    checks.push([
      'render: share of send CPU per email',
      `${Math.round(share * 1000) / 10}%`,
      `≤ ${TARGETS.renderShareOfSendCpu * 100}%`,
      share <= TARGETS.renderShareOfSendCpu,
    ]);
  }
  if (pipeline) {
    checks.push(
      [
        'pipeline: DynamoDB requests per email',
        `${pipeline.sending.dynamoRequestsPerEmail}`,
        `≤ ${TARGETS.dynamoRequestsPerEmail}`,
        pipeline.sending.dynamoRequestsPerEmail <= TARGETS.dynamoRequestsPerEmail,
      ],
      [
        'pipeline: share of raw conditional-write rate',
        `${Math.round(pipeline.shareOfRawConditionalWriteRate * 100)}%`,
        `≥ ${TARGETS.shareOfRawConditionalWriteRate * 100}%`,
        pipeline.shareOfRawConditionalWriteRate >= TARGETS.shareOfRawConditionalWriteRate,
      ],
    );
  }
  if (coldStart) {
    checks.push(
      [
        'cold start: send bundle size',
        `${Math.round(coldStart.bundleBytes['send']! / 1024)} KB`,
        '≤ 1024 KB, no mjml',
        coldStart.bundleBytes['send']! <= TARGETS.sendBundleBytes && !coldStart.sendBundleHasMjml,
      ],
      [
        'cold start: send init vs bare clients',
        `${coldStart.initRatio}×`,
        `≤ ${TARGETS.initRatio}×`,
        coldStart.initRatio <= TARGETS.initRatio,
      ],
    );
  }

  if (ingest) {
    const met = ingest.ratio >= TARGETS.ingestRatio;
    checks.push(['ingest: /v1/batch vs POST /events, events/s', `${ingest.ratio}×`, `≥ ${TARGETS.ingestRatio}×`, met]);
  }

  if (preview) {
    const gzip = preview.bundleGzipBytes['template-editor']!;
    checks.push(
      [
        'console: save + preview p95, all templates',
        `${preview.latencyMs.p95} ms`,
        `≤ ${TARGETS.previewP95Ms} ms`,
        preview.latencyMs.p95 <= TARGETS.previewP95Ms,
      ],
      [
        'console: template editor script, gzipped',
        `${Math.round(gzip / 1024)} KB`,
        `≤ ${TARGETS.editorBundleGzipBytes / 1024} KB`,
        gzip <= TARGETS.editorBundleGzipBytes,
      ],
    );
  }

  if (broadcast) checks.push(...broadcastChecks(broadcast));

  console.log('\nfigure                                          value          target              met');
  for (const [name, value, target, met] of checks)
    console.log(`${name.padEnd(48)}${String(value).padEnd(15)}${target.padEnd(20)}${met ? 'yes' : 'NO'}`);
  if (rendering) {
    const each = rendering.map((r) => `${r.template} ${r.ratio}× (${r.precompiledPerSecond}/s, MJML ${r.mjmlPerSendPerSecond}/s)`);
    console.log(`\nrendering vs MJML per send: ${each.join('; ')}`);
  }
  if (renderShare) {
    const { emails, sendCpuUsPerEmail, renderCpuUsPerEmail } = renderShare;
    console.log(`in the send process, over ${emails} emails: ${renderCpuUsPerEmail} µs of ${sendCpuUsPerEmail} µs CPU per email rendering`);
  }
  if (pipeline) {
    const { sending } = pipeline;
    console.log(
      `\npipeline: ${sending.emails} emails at ${sending.emailsPerSecond}/s vs ${pipeline.dynamoLocalConditionalWritesPerSecond} ` +
        `raw conditional PutItem/s at concurrency ${pipeline.concurrency}, latency p50 ${sending.latencyMs.p50} ms ` +
        `p99 ${sending.latencyMs.p99} ms (application clock); ingest ${pipeline.ingest.eventsPerSecond} events/s`,
    );
    console.log(
      `DynamoDB requests per email by operation: ${JSON.stringify(sending.dynamoRequestsPerEmailByOperation)}; ` +
        `SES calls per email ${sending.sesCallsPerEmail}`,
    );
    console.log(
      `CPU per email while sending: node ${sending.cpuMsPerEmail.node} ms, DynamoDB Local ${sending.cpuMsPerEmail.dynamoLocal ?? '?'} ms`,
    );
  }
  if (load)
    console.log(
      `load: ${load.eventsAcceptedPerSecond} events/s accepted over ${load.seconds} s from ${load.connections} clients, ` +
        `p50 ${load.latencyMs.p50} ms p99 ${load.latencyMs.p99} ms, ${load.errors} errors`,
    );
  if (ingest) {
    const setup = `${ingest.eventsPerRequest} a request, ${ingest.concurrency} clients, ${ingest.rounds} rounds in turns`;
    const rates = `/v1/batch ${ingest.segmentBatch.eventsPerSecond} events/s, POST /events ${ingest.events.eventsPerSecond} events/s`;
    console.log(`ingest: ${rates} (${setup})`);
  }
  if (preview)
    console.log(
      `console preview: ${preview.templates.length} templates × ${preview.savesPerTemplate} saves, p50 ${preview.latencyMs.p50} ms ` +
        `p95 ${preview.latencyMs.p95} ms max ${preview.latencyMs.max} ms, ${preview.cpuMsPerSave} ms CPU a save ` +
        `(load ${preview.loadAverage}); p95 per template ${JSON.stringify(preview.perTemplateP95Ms)}; ` +
        `typing in the MJML instead: p50 ${preview.mjmlEditLatencyMs.p50} ms p95 ${preview.mjmlEditLatencyMs.p95} ms; ` +
        `scripts gzipped ${JSON.stringify(preview.bundleGzipBytes)} bytes`,
    );
  if (broadcast) printBroadcast(broadcast);
  if (memory) console.log(`memory: peak RSS ${memory.peakRssMb} MB for a batch of ${memory.batch} (${memory.rssBeforeMb} MB before)`);

  if (units) {
    const top = Object.entries(units.perEmail.byItemKind)
      .sort((a, b) => b[1].writeUnits - a[1].writeUnits)
      .slice(0, 5)
      .map(([kind, u]) => `${kind} ${u.writeUnits}`)
      .join(', ');
    console.log(
      `billed per email (${units.emails} emails): ${units.billedWriteUnitsPerEmail} write units ` +
        `(${units.indexWriteUnitsPerEmail} of them index), ` +
        `${units.billedReadUnitsPerEmail} read units → DynamoDB $${units.dynamoDbCostPerMillionEmailsUsd}, all AWS ` +
        `$${units.awsCostPerMillionEmailsUsd} per million emails; most write units: ${top}`,
    );
  }
  // Whatever ran, as results.json would hold it: a partial run's figures are not lost.
  const ran = {
    measuredAt: new Date().toISOString(),
    customers,
    rendering,
    renderShare,
    coldStart,
    memory,
    pipeline: pipelineWithUnits,
    load,
    ingest,
    preview,
    broadcast,
  };
  mkdirSync(join(__dirname, '..', '..', 'bench'), { recursive: true });
  writeJson(join(__dirname, '..', '..', 'bench', 'last-run.json'), JSON.parse(JSON.stringify(ran)));
  console.log('\nwritten: bench/last-run.json');

  if (!rendering || !cart || !renderShare || !coldStart || !memory || !pipeline || !load || !ingest || !preview || !broadcast) {
    console.log('\n--only: bench/results.json left as the last full run');
    return;
  }
  const results = {
    measuredAt: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      freeMemoryGb: Math.round(freemem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    rendering,
    renderShare,
    pipeline: pipelineWithUnits,
    coldStart,
    memory,
    load,
    ingest,
    preview,
    broadcast,
    targets: checks.map(([name, value, target, met]) => ({ name, value, target, met })),
    missedBy: {
      renderRatio: cart.ratio >= TARGETS.renderRatio ? null : `${Math.round((TARGETS.renderRatio / cart.ratio) * 10) / 10}× short`,
      renderShareOfSendCpu:
        renderShare.renderShare <= TARGETS.renderShareOfSendCpu
          ? null
          : `${Math.round((renderShare.renderShare - TARGETS.renderShareOfSendCpu) * 1000) / 10} points over`,
      dynamoRequestsPerEmail:
        pipeline.sending.dynamoRequestsPerEmail <= TARGETS.dynamoRequestsPerEmail
          ? null
          : `${Math.round((pipeline.sending.dynamoRequestsPerEmail - TARGETS.dynamoRequestsPerEmail) * 100) / 100} over`,
      shareOfRawConditionalWriteRate:
        pipeline.shareOfRawConditionalWriteRate >= TARGETS.shareOfRawConditionalWriteRate
          ? null
          : `${Math.round((TARGETS.shareOfRawConditionalWriteRate - pipeline.shareOfRawConditionalWriteRate) * 100)} points short`,
      initRatio:
        coldStart.initRatio <= TARGETS.initRatio ? null : `${Math.round((coldStart.initRatio - TARGETS.initRatio) * 100) / 100} over`,
      ingestRatio: ingest.ratio >= TARGETS.ingestRatio ? null : `${Math.round((TARGETS.ingestRatio - ingest.ratio) * 100) / 100} short`,
      previewP95Ms:
        preview.latencyMs.p95 <= TARGETS.previewP95Ms ? null : `${Math.round(preview.latencyMs.p95 - TARGETS.previewP95Ms)} ms over`,
      ...broadcastMissedBy(broadcast),
    },
  };
  mkdirSync(join(__dirname, '..', '..', 'bench'), { recursive: true });
  writeJson(join(__dirname, '..', '..', 'bench', 'results.json'), results);
  console.log('\nwritten: bench/results.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
