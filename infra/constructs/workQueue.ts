import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * A queue that feeds one function, with its dead-letter queue: visibility six times the function's
 * timeout (AWS's advice for SQS event sources), five receives before a message is set aside.
 */
export class WorkQueue extends Construct {
  static readonly MAX_RECEIVE_COUNT = 5;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, { consumerTimeout }: { consumerTimeout: Duration }) {
    super(scope, id);
    const secure = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true };
    this.deadLetterQueue = new Queue(this, 'DeadLetters', { retentionPeriod: Duration.days(14), ...secure });
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: WorkQueue.MAX_RECEIVE_COUNT },
      ...secure,
    });
  }
}
