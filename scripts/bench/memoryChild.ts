import { readFileSync } from 'node:fs';
import { CatalogCache } from '../../functions/adapters/dynamo/catalogCache';
import { CatalogStore } from '../../functions/adapters/dynamo/catalogStore';
import { createDocumentClient } from '../../functions/adapters/dynamo/documentClient';
import { JobStore } from '../../functions/adapters/dynamo/jobStore';
import { createSesClient, SesMailer } from '../../functions/adapters/ses/mailer';
import { makeSendHandler } from '../../functions/handlers/sendHandler';
import { sqsEventOf } from '../../functions/local/sqsShape';
import { configFromEnv } from '../../functions/shared/config';

/** Runs in its own process: the send handler over one SQS batch of 100, reporting peak RSS. */
function vmHwmKb(): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(line?.replace(/\D+/g, '') ?? 0);
}

async function main(): Promise<void> {
  const aws = { region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const config = configFromEnv();
  const doc = createDocumentClient({ ...aws, endpoint: process.env['BENCH_DYNAMODB'] });
  const now = new Date(process.env['BENCH_NOW']!);
  const handler = makeSendHandler({
    jobs: new JobStore(doc, config.customersTable),
    catalog: new CatalogCache(new CatalogStore(doc, config.catalogTable)),
    mailer: new SesMailer(createSesClient({ ...aws, endpoint: process.env['BENCH_SES'] })),
    clock: { now: () => now },
    tokenKey: async () => Buffer.alloc(32, 7),
    config,
  });
  const messages: string[] = JSON.parse(readFileSync(process.env['BENCH_MESSAGES']!, 'utf8'));
  const before = process.memoryUsage().rss;
  const result = await handler(sqsEventOf(messages.map((body, i) => ({ id: `m${i}`, body, receiveCount: 1 }))));
  process.stdout.write(
    JSON.stringify({ rssBeforeBytes: before, peakRssBytes: vmHwmKb() * 1024, failures: result.batchItemFailures.length }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
