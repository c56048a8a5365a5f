import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SegmentSubject } from '../../domain/segments/evaluate';
import type { Cart, Profile } from '../../domain/profile';
import { isExpired, strip, type Item } from './items';

/**
 * Reads customers for segments: one segment of a parallel Scan of the customers table, keeping only the
 * items a segment reads (profile, orders, carts, views) and only the attributes it needs. A Scan returns
 * a partition's items together and in sort-key order, and a partition belongs to exactly one scan
 * segment, so consecutive items with the same `pk` are one customer, also across pages.
 */
export class AudienceReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly pageSize = 1000,
  ) {}

  /** The customers of scan segment `segment` of `totalSegments`, a page of them at a time. */
  async *customers(segment: number, totalSegments: number, now: string): AsyncGenerator<SegmentSubject[]> {
    let startKey: Record<string, unknown> | undefined;
    let current: { pk: string; items: Item[] } | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          Segment: segment,
          TotalSegments: totalSegments,
          Limit: this.pageSize,
          ExclusiveStartKey: startKey,
          // Read units are paid for what is scanned; the filter only keeps the transfer small.
          FilterExpression: '#kind IN (:profile, :order, :cart, :view)',
          ExpressionAttributeNames: { '#kind': 'kind' },
          ExpressionAttributeValues: { ':profile': 'profile', ':order': 'order', ':cart': 'cart', ':view': 'view' },
        }),
      );
      startKey = page.LastEvaluatedKey;
      const done: SegmentSubject[] = [];
      for (const item of page.Items ?? []) {
        if (isExpired(item, now)) continue;
        const pk = String(item['pk']);
        if (current && current.pk !== pk) {
          const subject = subjectOf(current.items);
          if (subject) done.push(subject);
          current = undefined;
        }
        current ??= { pk, items: [] };
        current.items.push(item);
      }
      if (!startKey && current) {
        const subject = subjectOf(current.items);
        if (subject) done.push(subject);
      }
      if (done.length > 0) yield done;
    } while (startKey);
  }
}

/** One customer's items as a segment reads them; undefined without a profile (erased, or never upserted). */
function subjectOf(items: Item[]): SegmentSubject | undefined {
  const profileItem = items.find((i) => i['kind'] === 'profile');
  if (!profileItem) return undefined;
  const { rev: _rev, ...profile } = strip<Profile & { rev?: number }>(profileItem);
  return {
    profile,
    orders: items
      .filter((i) => i['kind'] === 'order')
      .map((i) => ({ total: Number(i['total']), currency: String(i['currency']), placedAt: String(i['placedAt']) })),
    carts: items
      .filter((i) => i['kind'] === 'cart')
      .map((i) => ({ items: (i['items'] as Cart['items'] | undefined) ?? [], updatedAt: String(i['updatedAt']) })),
    viewedCategories: [
      ...new Set(items.filter((i) => i['kind'] === 'view' && typeof i['category'] === 'string').map((i) => String(i['category']))),
    ],
  };
}
