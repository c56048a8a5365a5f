import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSendingEvent, EventDestination, type ConfigurationSet } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Duration, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TactfulFunction } from './tactfulFunction';

/** SES sending events (bounce, complaint, delivery, open, click, reject, rendering failure) → SNS → feedback function. */
export class Feedback extends Construct {
  readonly topic: Topic;
  readonly function: TactfulFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: { configurationSet: ConfigurationSet; customers: ITable; catalog: ITable; environment: Record<string, string> }) {
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
    this.function = new TactfulFunction(this, 'FeedbackFunction', { entryName: 'feedback', description: 'tactful: suppresses bounced and complaining addresses', environment: props.environment })
      .bindTable(props.customers, 'CUSTOMERS_TABLE', 'readWrite')
      .bindTable(props.catalog, 'CATALOG_TABLE', 'read');
    // A suppression that keeps failing is kept for inspection, not lost.
    this.deadLetterQueue = new Queue(this, 'FeedbackDLQ', { retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the SNS subscription.' });
    this.topic.addSubscription(new LambdaSubscription(this.function, { deadLetterQueue: this.deadLetterQueue }));
  }
}
