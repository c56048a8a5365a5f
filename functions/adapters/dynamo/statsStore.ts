import { BoundedMap } from '../../lib/boundedMap';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isCounterName, type Count, type StatsKey } from '../../domain/results/counters';
import { queryAll } from './batchGet';
import { customerPk, expiresAt, RETENTION_DAYS, SK } from './items';
import { type StatsRow, type Stats } from '../../usecases/ports/stats';
export type { StatsRow } from '../../usecases/ports/stats';

const statsPk = (campaignId: string): string => `STATS#${campaignId}`;
const INDEX_PK = 'STATS';
const rowSk = (key: StatsKey): string => `${key.day}#${key.stepId}#${key.variant}`;

export class StatsStore implements Stats {
  private readonly indexed = new BoundedMap<string, true>(10_000);

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Adds each count; returns how many were added (a count already made once is not). A failure after a
   * marker was written removes the marker again, so the caller's retry counts it.
   */
  async record(counts: Count[], at: string): Promise<number> {
    let added = 0;
    for (const count of counts) {
      if (Object.keys(count.add).length === 0) continue;
      const marker = count.once && { pk: customerPk(count.once.customerId), sk: SK.counted(count.once.id) };
      if (marker && !(await this.claimMarker(marker, count, at))) continue;
      try {
        await this.add(count);
      } catch (error) {
        if (marker) await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: marker })).catch(() => undefined);
        throw error;
      }
      added++;
    }
    return added;
  }

  /** One campaign's rows from since to until (YYYY-MM-DD, both included). */
  async rows(campaignId: string, since: string, until: string): Promise<StatsRow[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': statsPk(campaignId), ':from': `${since}#`, ':to': `${until}#~` },
    });
    return items.map((item) => {
      const counters: Record<string, number> = {};
      for (const [name, value] of Object.entries(item)) if (isCounterName(name) && typeof value === 'number') counters[name] = value;
      return { campaignId, day: String(item['day']), stepId: String(item['stepId']), variant: String(item['variant']), counters };
    });
  }

  /** Campaigns with any row from since to until. */
  async campaigns(since: string, until: string): Promise<string[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': INDEX_PK, ':from': `${since}#`, ':to': `${until}#~` },
    });
    return [...new Set(items.map((i) => String(i['campaignId'])))].sort();
  }

  private async claimMarker(key: { pk: string; sk: string }, count: Count, at: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          // Kept as long as the emails it is about can still be opened, clicked or unsubscribed from.
          Item: {
            ...key,
            kind: 'counted',
            counted: Object.keys(count.add),
            campaignId: count.key.campaignId,
            stepId: count.key.stepId,
            at,
            expiresAt: expiresAt(at, RETENTION_DAYS.deliveryLog),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async add(count: Count): Promise<void> {
    await this.index(count.key);
    const names: Record<string, string> = {
      '#campaignId': 'campaignId',
      '#day': 'day',
      '#stepId': 'stepId',
      '#variant': 'variant',
      '#kind': 'kind',
    };
    const values: Record<string, unknown> = {
      ':campaignId': count.key.campaignId,
      ':day': count.key.day,
      ':stepId': count.key.stepId,
      ':variant': count.key.variant,
      ':kind': 'stats',
    };
    const adds = Object.entries(count.add).map(([name, value], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = value;
      return `#c${i} :c${i}`;
    });
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: statsPk(count.key.campaignId), sk: rowSk(count.key) },
        UpdateExpression:
          'SET #campaignId = :campaignId, #day = :day, #stepId = :stepId, #variant = :variant, #kind = :kind ' + `ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /**
   * Names the campaign in the day's index before its first count there — once per container and
   * campaign-day (an idempotent Put), so the index is never behind the rows it lists.
   */
  private async index(key: StatsKey): Promise<void> {
    const sk = `${key.day}#${key.campaignId}`;
    if (this.indexed.has(sk)) return;
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: INDEX_PK, sk, kind: 'statsIndex', campaignId: key.campaignId, day: key.day },
      }),
    );
    this.indexed.set(sk, true);
  }
}
