import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../functions/adapters/bus/eventPublisher';
import { TactfulFunction } from './tactfulFunction';

/** Bus rule → trigger queue (with DLQ) → trigger function: applies events, starts and cancels journeys. */
export class Campaigns extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly function: TactfulFunction;

  constructor(scope: Construct, id: string, props: { bus: IEventBus; customers: ITable; catalog: ITable }) {
    super(scope, id);
    const timeout = Duration.seconds(30);
    this.deadLetterQueue = new Queue(this, 'TriggerDLQ', { retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
    this.queue = new Queue(this, 'TriggerQueue', {
      // Six times the function timeout, as AWS advises for SQS event sources.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    new Rule(this, 'ShopEventsToTrigger', {
      eventBus: props.bus,
      eventPattern: { source: [EVENT_SOURCE] },
      targets: [new SqsQueue(this.queue)],
    });
    this.function = new TactfulFunction(this, 'TriggerFunction', { entryName: 'trigger', timeout, description: 'tactful: applies shop events to profiles and journeys' })
      .bindTable(props.customers, 'CUSTOMERS_TABLE', 'readWrite')
      .bindTable(props.catalog, 'CATALOG_TABLE', 'read');
    this.function.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, maxBatchingWindow: Duration.seconds(1), reportBatchItemFailures: true }));
  }
}
