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
const markerOf = (once: NonNullable<Count['once']>) => ({ pk: customerPk(once.customerId), sk: SK.counted(once.id) });

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
    const settled = await this.recordEach(counts, at);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.filter((s) => s.status === 'fulfilled' && s.value).length;
  }

  /**
   * Each count's fate: added (true), counted before (false), or failed (its marker removed again). The
   * markers go first, all at once; then the counts that may add are summed per row, so counts of one
   * row (a queue batch's deliveries of one campaign step, usually) cost one UpdateItem together.
   */
  async recordEach(counts: Count[], at: string): Promise<PromiseSettledResult<boolean>[]> {
    // A happening twice in one call (SES repeats its events) counts at its first mention only.
    const seen = new Set<string>();
    const markers = await Promise.allSettled(
      counts.map(async (count) => {
        if (Object.keys(count.add).length === 0) return false;
        if (!count.once) return true;
        const marker = markerOf(count.once);
        if (seen.has(marker.pk + marker.sk)) return false;
        seen.add(marker.pk + marker.sk);
        return this.claimMarker(marker, count, at);
      }),
    );
    const settled: PromiseSettledResult<boolean>[] = [...markers];
    const rows = new Map<string, { key: StatsKey; add: Count['add']; members: number[] }>();
    markers.forEach((marker, n) => {
      if (marker.status !== 'fulfilled' || !marker.value) return;
      const { key, add } = counts[n]!;
      const id = rowSk(key) + '#' + key.campaignId;
      const row = rows.get(id) ?? { key, add: {}, members: [] };
      for (const [name, value] of Object.entries(add) as [keyof Count['add'], number][]) row.add[name] = (row.add[name] ?? 0) + value;
      row.members.push(n);
      rows.set(id, row);
    });
    await Promise.all(
      [...rows.values()].map(async ({ key, add, members }) => {
        try {
          await this.add({ key, add });
        } catch (error) {
          for (const n of members) {
            settled[n] = { status: 'rejected', reason: error };
            const once = counts[n]!.once;
            if (once) await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: markerOf(once) })).catch(() => undefined);
          }
        }
      }),
    );
    return settled;
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
