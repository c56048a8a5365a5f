import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoLocal, startSesLocal } from '../../../functions/local/services';
import { startLocalSystem, type LocalSystem } from '../../../functions/local/system';
import { chunksOf } from '../../../functions/shared/chunks';
import { round } from '../measure';
import { BillingMeter, type BilledUnits } from './meter';

/**
 * What the billed-units runs (the pipeline's and a broadcast's) share: a local system of their own on
 * fresh DynamoDB Local and SES stand-ins, every DynamoDB client of it metered, its emails counted, and
 * SES's delivery event for each email sent through the feedback path, as SES would report it.
 */
export interface MeteredRun {
  system: LocalSystem;
  meter: BillingMeter;
  dynamodbEndpoint: string;
  /** Emails sent since the start or the last `resetSent()`. */
  sent(): number;
  resetSent(): void;
  /** Each email's delivery, as SES reports it (through the local stand-in of SNS and the feedback queue). */
  reportDeliveries(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMeteredRun(tablePrefix: string): Promise<MeteredRun> {
  const [dynamo, ses] = await Promise.all([startDynamoLocal({ port: 0 }), startSesLocal({ port: 0 })]);
  const meter = new BillingMeter(dynamo.endpoint);
  let emails = 0;
  const system = await startLocalSystem({
    port: 0,
    dynamodbEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    tablePrefix,
    sweepIntervalMs: 0,
    seedDemo: false,
    quietHours: { start: '00:00', end: '00:00' },
    keyFile: join(mkdtempSync(join(tmpdir(), `tactful-${tablePrefix}`)), 'token.key'),
    wrapMailer: (inner) => ({ send: (email) => (emails++, inner.send(email)) }),
    sendQueue: { concurrency: 8, batchSize: 10 },
    onDocumentClient: (client) => meter.attach(client),
  });
  return {
    system,
    meter,
    dynamodbEndpoint: dynamo.endpoint,
    sent: () => emails,
    resetSent: () => void (emails = 0),
    async reportDeliveries() {
      const { emails: stored } = (await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: { messageId: string }[] };
      for (const chunk of chunksOf(stored, 50)) {
        const r = await fetch(`${system.url}/dev/ses-events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': system.apiKey },
          body: JSON.stringify(chunk.map((e) => ({ eventType: 'Delivery', mail: { messageId: e.messageId } }))),
        });
        if (r.status !== 200) throw new Error(`SES events answered ${r.status}: ${await r.text()}`);
      }
    },
    async stop() {
      meter.close();
      await system.stop();
      await Promise.all([dynamo.stop(), ses.stop()]);
    },
  };
}

/** Units per email or per recipient, by function, item kind or operation. */
export const unitsPer = (units: Record<string, BilledUnits>, n: number): Record<string, BilledUnits> =>
  Object.fromEntries(
    Object.entries(units).map(([k, u]) => [
      k,
      {
        requests: round(u.requests / n),
        writeUnits: round(u.writeUnits / n),
        readUnits: round(u.readUnits / n),
        indexWriteUnits: round(u.indexWriteUnits / n),
      },
    ]),
  );
