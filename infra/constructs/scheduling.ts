import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TactfulFunction } from './tactfulFunction';

/** Every minute, the sweep moves due jobs from the table's due index to the send queue. */
export class Scheduling extends Construct {
  readonly function: TactfulFunction;

  constructor(scope: Construct, id: string, props: { customers: ITable; sendQueue: IQueue }) {
    super(scope, id);
    this.function = new TactfulFunction(this, 'SweepFunction', {
      entryName: 'sweep',
      timeout: Duration.seconds(55),
      // One sweep at a time: overlapping sweeps would only hand the same jobs over twice.
      reservedConcurrentExecutions: 1,
      description: 'tactful: hands due jobs to the send queue',
    })
      .bindTable(props.customers, 'CUSTOMERS_TABLE', 'readWrite')
      .bindQueueForSending(props.sendQueue, 'SEND_QUEUE_URL');
    // Marks handed-over jobs queued 25 at a time with PartiQL UPDATE (BatchExecuteStatement), which the
    // table's data grant does not cover: updates only, on this table only.
    this.function.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:PartiQLUpdate'], resources: [props.customers.tableArn] }));
    new Rule(this, 'EveryMinute', { schedule: Schedule.rate(Duration.minutes(1)), targets: [new LambdaFunction(this.function, { retryAttempts: 0 })] });
  }
}
