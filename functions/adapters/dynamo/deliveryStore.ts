import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expiresAt } from './items';
import { type DeliveryStatus, type DeliveryRecord, type Deliveries } from '../../usecases/ports/deliveries';
export type { DeliveryStatus, DeliveryRecord } from '../../usecases/ports/deliveries';

/**
 * What happened to each delivery a shop's systems sent (POST /events and the integrations), kept
 * 7 days so a shop can see which system sent a bad event and why it was refused. It names no
 * customer: source, key name, what it was mapped to, counted reasons, and errors as field paths
 * with plain sentences — never the values.
 */

export const DELIVERY_RETENTION_DAYS = 7;

const dayPk = (day: string): string => `DELIVERIES#${day}`;

export class DeliveryStore implements Deliveries {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(delivery: DeliveryRecord): Promise<void> {
    // At most 20 refused items with 5 errors each are kept: enough to act on, bounded in size.
    const rejected = delivery.rejected.slice(0, 20).map((r) => ({ ref: r.ref.slice(0, 200), errors: r.errors.slice(0, 5) }));
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...delivery,
          rejected,
          rejectedCount: delivery.rejected.length,
          pk: dayPk(delivery.receivedAt.slice(0, 10)),
          sk: `${delivery.receivedAt}#${delivery.id}`,
          kind: 'delivery',
          expiresAt: expiresAt(delivery.receivedAt, DELIVERY_RETENTION_DAYS),
        },
      }),
    );
  }

  /** Deliveries of the last `days` days, newest first; `status: 'rejected'` keeps those with refusals. */
  async list(
    now: string,
    {
      days = 3,
      status,
      source,
      limit = 100,
    }: { days?: number; status?: 'rejected' | DeliveryStatus; source?: string; limit?: number } = {},
  ): Promise<(DeliveryRecord & { rejectedCount: number })[]> {
    const out: (DeliveryRecord & { rejectedCount: number })[] = [];
    for (let d = 0; d < days && out.length < limit; d++) {
      const day = new Date(Date.parse(now) - d * 86_400_000).toISOString().slice(0, 10);
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': dayPk(day) },
            ScanIndexForward: false,
            ExclusiveStartKey: start,
            Limit: 200,
          }),
        );
        for (const item of page.Items ?? []) {
          if (typeof item['expiresAt'] === 'number' && item['expiresAt'] * 1000 < Date.parse(now)) continue;
          const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _e, ...record } = item;
          const r = record as DeliveryRecord & { rejectedCount: number };
          if (source && r.source !== source) continue;
          if (status === 'rejected' ? r.rejectedCount === 0 : status !== undefined && r.status !== status) continue;
          out.push(r);
          if (out.length >= limit) break;
        }
        start = page.LastEvaluatedKey;
      } while (start && out.length < limit);
    }
    return out;
  }

  /** Marks a platform delivery id as seen (7 days); false when it was seen already. */
  async seen(source: string, deliveryKey: string): Promise<boolean> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: `INBOX#${source}`, sk: deliveryKey } }));
    return Item !== undefined;
  }

  async markSeen(source: string, deliveryKey: string, now: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `INBOX#${source}`, sk: deliveryKey, kind: 'inbox', at: now, expiresAt: expiresAt(now, DELIVERY_RETENTION_DAYS) },
      }),
    );
  }
}
