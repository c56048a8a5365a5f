import { Arn, Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { shopEnvironment, type StageConfig } from '../config';
import { TactfulFunction } from './tactfulFunction';
import { WorkQueue } from './workQueue';
import { ENV } from '../../functions/shared/envNames';

/** Send queue (with DLQ) → send function → SES, allowed to send only as the configured identity and configuration set. */
export class Sending extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly function: TactfulFunction;
  /** For emails whose recipient allowed tracking: SES adds its open pixel and click redirects. */
  readonly configurationSet: ConfigurationSet;
  /** For every other email: the same bounce, complaint and delivery events, no open or click tracking. */
  readonly untrackedConfigurationSet: ConfigurationSet;

  constructor(
    scope: Construct,
    id: string,
    props: { config: StageConfig; customers: ITable; catalog: ITable; tokenKey: ISecret; publicBaseUrl: string },
  ) {
    super(scope, id);
    const { config } = props;
    const timeout = Duration.seconds(30);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {});
    // Open and click tracking exist only where an event destination asks for them (Feedback adds
    // none to this set), and engagement metrics off keeps Virtual Deliverability Manager from adding them.
    this.untrackedConfigurationSet = new ConfigurationSet(this, 'UntrackedConfigurationSet', { vdmOptions: { engagementMetrics: false } });
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = new WorkQueue(this, 'SendQueue', { consumerTimeout: timeout }));

    this.function = new TactfulFunction(this, 'SendFunction', {
      entryName: 'send',
      timeout,
      description: 'tactful: gates, renders and sends one email per due job',
      environment: {
        [ENV.fromAddress]: config.fromAddress,
        [ENV.publicBaseUrl]: props.publicBaseUrl,
        ...shopEnvironment(config),
        [ENV.capRules]: config.capRules,
        [ENV.quietHours]: config.quietHours,
        [ENV.optOutCountries]: config.optOutCountries,
        [ENV.trackingOptOutCountries]: config.trackingOptOutCountries,
      },
    })
      .bindTable(props.customers, ENV.customersTable, 'readWrite')
      .bindTable(props.catalog, ENV.catalogTable, 'read')
      .bindSecret(props.tokenKey, ENV.tokenKeySecretArn);

    this.grantSendEmail(this.function, config);

    // Each invocation sends up to 10 emails in about a second: this keeps the account's SES rate.
    const maxConcurrency = Math.max(2, Math.floor(config.sesMaxSendRate / 10));
    this.function.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency }));
  }

  /** SES SendEmail as the configured identity, From address and the two configuration sets only. */
  grantSendEmail(fn: TactfulFunction, config: StageConfig): void {
    const stack = Stack.of(this);
    const sesArn = (resource: string, name: string) => Arn.format({ service: 'ses', resource, resourceName: name }, stack);
    fn.addEnvironment(ENV.sesConfigurationSet, this.configurationSet.configurationSetName);
    fn.addEnvironment(ENV.sesUntrackedConfigurationSet, this.untrackedConfigurationSet.configurationSetName);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          sesArn('identity', config.sesIdentity),
          sesArn('configuration-set', this.configurationSet.configurationSetName),
          sesArn('configuration-set', this.untrackedConfigurationSet.configurationSetName),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': config.fromAddress } },
      }),
    );
  }
}
