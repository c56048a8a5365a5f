import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSendingEvent, EventDestination, type ConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TactfulFunction } from './tactfulFunction';
import { WorkQueue } from './workQueue';
import { ENV } from '../../functions/shared/envNames';

/**
 * SES sending events (bounce, complaint, delivery, open, click, reject, rendering failure) → SNS →
 * feedback queue (with DLQ) → feedback function. The queue is what makes a suppression durable: a record
 * the function fails on is retried, then kept in the dead-letter queue (alarmed, redrivable), never lost
 * after Lambda's own two async retries as with a direct SNS → Lambda subscription.
 */
export class Feedback extends Construct {
  readonly topic: Topic;
  readonly queue: Queue;
  readonly function: TactfulFunction;
  readonly deadLetterQueue: Queue;

  constructor(
    scope: Construct,
    id: string,
    props: {
      configurationSet: ConfigurationSet;
      untrackedConfigurationSet: ConfigurationSet;
      customers: ITable;
      catalog: ITable;
      tokenKey: ISecret;
      environment: Record<string, string>;
    },
  ) {
    super(scope, id);
    this.topic = new Topic(this, 'SesEvents', { enforceSSL: true });
    props.configurationSet.addEventDestination('ToFeedback', {
      destination: EventDestination.snsTopic(this.topic),
      events: [
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.OPEN,
        EmailSendingEvent.CLICK,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.RENDERING_FAILURE,
      ],
    });
    // Emails of customers who did not allow tracking: the same events but opens and clicks, which SES
    // then does not track at all (no pixel, no redirected links).
    props.untrackedConfigurationSet.addEventDestination('ToFeedback', {
      destination: EventDestination.snsTopic(this.topic),
      events: [
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.RENDERING_FAILURE,
      ],
    });
    const timeout = Duration.seconds(30);
    this.function = new TactfulFunction(this, 'FeedbackFunction', {
      entryName: 'feedback',
      timeout,
      description: 'tactful: suppresses bounced and complaining addresses',
      environment: props.environment,
    })
      .bindTable(props.customers, ENV.customersTable, 'readWrite')
      .bindTable(props.catalog, ENV.catalogTable, 'read')
      // Keys the address hash that suppresses an address no customer could be named for.
      .bindSecret(props.tokenKey, ENV.tokenKeySecretArn);
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = new WorkQueue(this, 'FeedbackQueue', { consumerTimeout: timeout }));
    // What SNS itself cannot hand to the queue is kept beside what the function could not apply.
    this.topic.addSubscription(new SqsSubscription(this.queue, { deadLetterQueue: this.deadLetterQueue }));
    this.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, maxBatchingWindow: Duration.seconds(1), reportBatchItemFailures: true }),
    );
  }
}
