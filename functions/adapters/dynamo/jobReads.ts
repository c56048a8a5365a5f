import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isLive, type Job } from '../../domain/journeys/job';
import { queryAll } from './batchGet';
import type { DeliveryLogEntry } from './deliveryLog';
import { customerPk, isExpired, plusMs, strip, type Item } from './items';
import { CUSTOMERS_TABLE_KEYS } from './tableDefinitions';

/** What the send path reads around a job: a higher-priority job waiting, purchase history, a campaign's log. */
export class JobReads {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A live job of another campaign with a higher priority, due within `lookaheadMs`. */
  async higherPriorityDue(job: Job, now: string, lookaheadMs: number): Promise<Job | undefined> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': customerPk(job.customerId), ':prefix': 'JOB#' },
      }),
    );
    const horizon = plusMs(now, lookaheadMs);
    return (out.Items ?? [])
      .map((i) => strip<Job>(i))
      .find((other) => other.jobId !== job.jobId && isLive(other) && other.priority > job.priority && other.dueAt <= horizon);
  }

  /** What the customer bought (newest first) and, for level full, viewed: the seeds of recommendations. */
  async purchaseAndViewHistory(customerId: string, withViews: boolean, now: string): Promise<{ bought: string[]; viewed: string[] }> {
    const query = (prefix: string) =>
      queryAll(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': customerPk(customerId), ':p': prefix },
      });
    const [orders, views] = await Promise.all([query('ORDER#'), withViews ? query('VIEW#') : Promise.resolve([])]);
    const live = (items: Item[]) => items.filter((i) => !isExpired(i, now));
    const bought = live(orders)
      .sort((a, b) => String(b['placedAt']).localeCompare(String(a['placedAt'])))
      .flatMap((o) => ((o['items'] as { sku: string }[] | undefined) ?? []).map((i) => i.sku));
    const viewed = live(views).map((v) => String(v['sku']));
    return { bought: [...new Set(bought)], viewed: [...new Set(viewed)] };
  }

  /** Delivery log entries of one campaign on one day (UTC), oldest first. */
  async campaignLog(campaignId: string, day: string): Promise<DeliveryLogEntry[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: CUSTOMERS_TABLE_KEYS.campaignIndex.name,
      KeyConditionExpression: 'campaignDay = :key',
      ExpressionAttributeValues: { ':key': `${campaignId}#${day}` },
    });
    return items.map((i) => strip<DeliveryLogEntry>(i));
  }
}
