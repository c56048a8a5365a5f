import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/envNames';
import { broadcastEnvironment, type StageConfig } from '../config';
import { TactfulFunction } from './tactfulFunction';
import { WorkQueue } from './workQueue';

/**
 * Broadcast queue (with DLQ) → broadcast workers: one message per scan segment of a wave; each worker
 * reads its segment of the customers table, makes the recipients' jobs and hands them to the send
 * queue, paced to the broadcast's throttle and the SES ceiling (docs/broadcasts.md). The sweep opens
 * the waves (`grantOpenWaves`).
 */
export class Broadcasts extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly function: TactfulFunction;

  constructor(scope: Construct, id: string, props: { config: StageConfig; customers: ITable; catalog: ITable; sendQueue: IQueue }) {
    super(scope, id);
    // A message reads pages for a minute and then hands the rest of its part to a fresh message.
    const timeout = Duration.minutes(3);
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = new WorkQueue(this, 'BroadcastQueue', { consumerTimeout: timeout }));
    this.function = new TactfulFunction(this, 'BroadcastFunction', {
      entryName: 'broadcast',
      timeout,
      description: 'tactful: reads a broadcast wave scan segment and hands its recipients to the send queue',
      environment: broadcastEnvironment(props.config),
    })
      // Scans customers, writes recipients' jobs and the waves' progress; reads definitions and segments.
      .bindTable(props.customers, ENV.customersTable, 'readWrite')
      .bindTable(props.catalog, ENV.catalogTable, 'read')
      .bindQueueForSending(props.sendQueue, ENV.sendQueueUrl)
      // A part whose minute is up goes on in a fresh message.
      .bindQueueForSending(this.queue, ENV.broadcastQueueUrl);
    // One part a message; as many workers at once as a wave has parts.
    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: Math.max(2, props.config.broadcastScanSegments),
      }),
    );
  }

  /** The sweep opens due waves: it hands their parts to this queue, and reads the settings the workers read. */
  grantOpenWaves(fn: TactfulFunction, config: StageConfig): void {
    fn.bindQueueForSending(this.queue, ENV.broadcastQueueUrl);
    for (const [name, value] of Object.entries(broadcastEnvironment(config))) fn.addEnvironment(name, value);
  }
}
