import { readFileSync } from 'node:fs';
import { CatalogCache } from '../../functions/adapters/dynamo/catalogCache';
import { CatalogStore } from '../../functions/adapters/dynamo/catalogStore';
import { createDocumentClient } from '../../functions/adapters/dynamo/documentClient';
import { JobStore } from '../../functions/adapters/dynamo/jobStore';
import { createSesClient, SesMailer } from '../../functions/adapters/ses/mailer';
import type { CompiledTemplate } from '../../functions/domain/rendering/renderer';
import { makeSendHandler } from '../../functions/handlers/sendHandler';
import { sqsEventOf } from '../../functions/local/sqsShape';
import { chunksOf } from '../../functions/shared/chunks';
import { configFromEnv } from '../../functions/shared/config';

/** Runs in its own process (sendShare.ts): the send handler over batches of 10, its CPU and its renders' CPU. */

let renderUs = 0;
const cpuUs = (since?: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};

/** The same template, each render's CPU counted (the clock read included: it errs towards rendering). */
const timed = new WeakMap<CompiledTemplate, CompiledTemplate>();
function timedTemplate(template: CompiledTemplate): CompiledTemplate {
  let counted = timed.get(template);
  if (!counted)
    timed.set(
      template,
      (counted = {
        ...template,
        render(...args) {
          const start = process.cpuUsage();
          try {
            return template.render(...args);
          } finally {
            renderUs += cpuUs(start);
          }
        },
      }),
    );
  return counted;
}

async function main(): Promise<void> {
  const aws = { region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const config = configFromEnv();
  const doc = createDocumentClient({ ...aws, endpoint: process.env['BENCH_DYNAMODB'] });
  const now = new Date(process.env['BENCH_NOW']!);
  const catalog = new CatalogCache(new CatalogStore(doc, config.catalogTable));
  const template = catalog.template.bind(catalog);
  catalog.template = async (name, pinned) => timedTemplate(await template(name, pinned));
  const handler = makeSendHandler({
    jobs: new JobStore(doc, config.customersTable),
    catalog,
    mailer: new SesMailer(createSesClient({ ...aws, endpoint: process.env['BENCH_SES'] })),
    clock: { now: () => now },
    tokenKey: async () => Buffer.alloc(32, 7),
    config,
  });
  const messages: string[] = JSON.parse(readFileSync(process.env['BENCH_MESSAGES']!, 'utf8'));
  const batches = chunksOf(messages, 10);
  const warmup = Number(process.env['BENCH_WARMUP_BATCHES'] ?? 10);
  let failures = 0;
  let emails = 0;
  let start: NodeJS.CpuUsage | undefined;
  for (const [i, batch] of batches.entries()) {
    if (i === warmup) {
      start = process.cpuUsage();
      renderUs = 0;
    }
    const result = await handler(sqsEventOf(batch.map((body, n) => ({ id: `m${i}-${n}`, body, receiveCount: 1 }))));
    failures += result.batchItemFailures.length;
    if (start) emails += batch.length;
  }
  process.stdout.write(JSON.stringify({ emails, cpuUs: cpuUs(start), renderUs, failures }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
