import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Alarms to one SNS topic (subscribe the on-call there) and one dashboard. SES reputation alarms use
 * the account's own bounce and complaint rates, the figures SES itself acts on.
 */
export class Monitoring extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(
    scope: Construct,
    id: string,
    props: { functions: Record<string, IFunction>; deadLetterQueues: Record<string, IQueue>; backlogs?: Record<string, IQueue> },
  ) {
    super(scope, id);
    this.alarmTopic = new Topic(this, 'Alarms', { displayName: 'tactful alarms', enforceSSL: true });
    const action = new SnsAction(this.alarmTopic);
    const alarm = (name: string, metric: IMetric, threshold: number, description: string) => {
      const created = new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      this.alarms.push(created);
      return created;
    };

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}DlqDepth`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        1,
        `${name}: messages were set aside after repeated failures`,
      );
    }
    for (const [name, queue] of Object.entries(props.backlogs ?? {})) {
      alarm(
        `${name}QueueAge`,
        queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
        900,
        `${name}: work has waited 15 minutes or more to be applied`,
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${name}Errors`, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), 1, `${name}: invocations failed`);
      alarm(
        `${name}Throttles`,
        fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        1,
        `${name}: invocations were throttled`,
      );
    }
    const reputation = (metricName: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, period: Duration.hours(1), statistic: 'Maximum' });
    alarm(
      'BounceRate',
      reputation('Reputation.BounceRate'),
      0.05,
      'SES bounce rate at or over 5%: SES reviews accounts from 5% and may pause sending at 10%',
    );
    alarm(
      'ComplaintRate',
      reputation('Reputation.ComplaintRate'),
      0.001,
      'SES complaint rate at or over 0.1%: SES reviews accounts from 0.1%',
    );

    const business = (metricName: string) =>
      new Metric({
        namespace: 'tactful',
        metricName,
        dimensionsMap: { service: 'tactful' },
        period: Duration.minutes(5),
        statistic: 'Sum',
      });
    // A template that goes over its render budget is skipped for every customer it would reach: one is enough to look.
    const overBudget = new Metric({
      namespace: 'tactful',
      metricName: 'EmailsNotSent',
      dimensionsMap: { service: 'tactful', reason: 'render-budget' },
      period: Duration.minutes(5),
      statistic: 'Sum',
    });
    alarm('RenderBudget', overBudget, 1, 'A template went over its render budget: its sends are skipped until a fixed one is published');
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: Stack.of(this).stackName });
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Emails', left: [business('EmailsSent'), business('EventsAccepted'), business('EventsRejected')] }),
      new GraphWidget({
        title: 'Not sent (all reasons)',
        left: [
          new MathExpression({
            expression: "SUM(SEARCH('{tactful,reason,service} MetricName=\"EmailsNotSent\"', 'Sum', 300))",
            label: 'not sent',
            period: Duration.minutes(5),
          }),
        ],
      }),
      new GraphWidget({ title: 'SES reputation', left: [reputation('Reputation.BounceRate'), reputation('Reputation.ComplaintRate')] }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Function errors',
        left: Object.values(props.functions).map((fn) => fn.metricErrors({ period: Duration.minutes(5) })),
      }),
      new GraphWidget({
        title: 'Function duration p99',
        left: Object.values(props.functions).map((fn) => fn.metricDuration({ period: Duration.minutes(5), statistic: 'p99' })),
      }),
      new GraphWidget({
        title: 'Dead letters',
        left: Object.values(props.deadLetterQueues).map((q) => q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) })),
      }),
    );
  }
}
