import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../functions/adapters/bus/eventPublisher';
import { TactfulFunction } from './tactfulFunction';
import { WorkQueue } from './workQueue';
import { ENV } from '../../functions/shared/envNames';

/** Bus rule → trigger queue (with DLQ) → trigger function: applies events, starts and cancels journeys. */
export class Campaigns extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly function: TactfulFunction;

  constructor(scope: Construct, id: string, props: { bus: IEventBus; customers: ITable; catalog: ITable; tokenKey: ISecret }) {
    super(scope, id);
    const timeout = Duration.seconds(30);
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = new WorkQueue(this, 'TriggerQueue', { consumerTimeout: timeout }));
    new Rule(this, 'ShopEventsToTrigger', {
      eventBus: props.bus,
      eventPattern: { source: [EVENT_SOURCE] },
      targets: [new SqsQueue(this.queue)],
    });
    this.function = new TactfulFunction(this, 'TriggerFunction', {
      entryName: 'trigger',
      timeout,
      description: 'tactful: applies shop events to profiles and journeys',
    })
      .bindTable(props.customers, ENV.customersTable, 'readWrite')
      .bindTable(props.catalog, ENV.catalogTable, 'read')
      // Keys the address hash that recognizes an erased person imported again.
      .bindSecret(props.tokenKey, ENV.tokenKeySecretArn);
    this.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, maxBatchingWindow: Duration.seconds(1), reportBatchItemFailures: true }),
    );
  }
}
