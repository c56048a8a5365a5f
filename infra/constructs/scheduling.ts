import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TactfulFunction } from './tactfulFunction';
import { ENV } from '../../functions/shared/envNames';

/**
 * Every minute, the sweep opens the broadcast waves that are due (their state is in the customers
 * table; their parts go to the broadcast queue), moves due jobs from the table's due index to the send
 * queue, and releases held steps of campaigns that are not paused (reading the catalog, never writing it).
 */
export class Scheduling extends Construct {
  readonly function: TactfulFunction;

  constructor(scope: Construct, id: string, props: { customers: ITable; catalog: ITable; sendQueue: IQueue }) {
    super(scope, id);
    this.function = new TactfulFunction(this, 'SweepFunction', {
      entryName: 'sweep',
      timeout: Duration.seconds(55),
      // One sweep at a time: overlapping sweeps would only hand the same jobs over twice.
      reservedConcurrentExecutions: 1,
      description: 'tactful: hands due jobs to the send queue',
    })
      .bindTable(props.customers, ENV.customersTable, 'readWrite')
      .bindTable(props.catalog, ENV.catalogTable, 'read')
      .bindQueueForSending(props.sendQueue, ENV.sendQueueUrl);
    new Rule(this, 'EveryMinute', {
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.function, { retryAttempts: 0 })],
    });
  }
}
