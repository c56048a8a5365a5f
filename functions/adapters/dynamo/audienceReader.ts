import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SegmentSubject } from '../../domain/segments/evaluate';
import type { Cart, Profile } from '../../domain/customers/profile';
import { customerPk, isExpired, strip, type Item } from './items';
import { type ScanPosition, type AudiencePage, type AudienceScan } from '../../usecases/ports/broadcasts';
export type { ScanPosition, AudiencePage } from '../../usecases/ports/broadcasts';

export const SEGMENT_KINDS = { ':profile': 'profile', ':order': 'order', ':cart': 'cart', ':view': 'view' };
// Read units are paid for what is scanned; the filter only keeps the transfer small.
export const KIND_FILTER = {
  FilterExpression: '#kind IN (:profile, :order, :cart, :view)',
  ExpressionAttributeNames: { '#kind': 'kind' },
  ExpressionAttributeValues: SEGMENT_KINDS,
};

/**
 * Reads customers for segments: one segment of a parallel Scan of the customers table, keeping only the
 * items a segment reads (profile, orders, carts, views). A Scan returns a partition's items together and
 * in sort-key order, and a partition belongs to exactly one scan segment, so consecutive items with the
 * same `pk` are one customer. A page is cut at any item: the customer it cuts through is completed with
 * a Query of their partition, and the next page leaves out the rest of their items. A page can thus be
 * resumed from its position alone, by another process (a broadcast's fan-out worker does).
 */
export class AudienceReader implements AudienceScan {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly pageSize = 1000,
  ) {}

  /** The customers of scan segment `segment` of `totalSegments`, a page of them at a time. */
  async *customers(segment: number, totalSegments: number, now: string): AsyncGenerator<SegmentSubject[]> {
    let position: ScanPosition | undefined = {};
    while (position) {
      const page: AudiencePage = await this.page(segment, totalSegments, position, now);
      if (page.subjects.length > 0) yield page.subjects;
      position = page.next;
    }
  }

  /** One page from `position`: at most `limit` items read (default the reader's page size). */
  async page(segment: number, totalSegments: number, position: ScanPosition, now: string, limit = this.pageSize): Promise<AudiencePage> {
    const out = await this.doc.send(
      new ScanCommand({
        TableName: this.tableName,
        Segment: segment,
        TotalSegments: totalSegments,
        Limit: Math.min(limit, this.pageSize),
        ExclusiveStartKey: position.startKey,
        ...KIND_FILTER,
      }),
    );
    const groups: { pk: string; items: Item[] }[] = [];
    for (const item of out.Items ?? []) {
      const pk = String(item['pk']);
      if (pk === position.skipPk) continue;
      const last = groups[groups.length - 1];
      if (last?.pk === pk) last.items.push(item);
      else groups.push({ pk, items: [item] });
    }
    const next = out.LastEvaluatedKey ? { startKey: out.LastEvaluatedKey } : undefined;
    const cut = next && groups.length > 0 ? groups[groups.length - 1]! : undefined;
    if (cut) cut.items = await this.partition(cut.pk);
    const subjects = groups
      .map((g) => subjectOf(g.items.filter((i) => !isExpired(i, now))))
      .filter((s): s is SegmentSubject => s !== undefined);
    return {
      subjects,
      ...(next ? { next: cut ? { ...next, skipPk: cut.pk } : { ...next, ...(position.skipPk ? { skipPk: position.skipPk } : {}) } } : {}),
    };
  }

  /** One customer as a segment reads them (a campaign's `trigger.segment`, at trigger and at send time). */
  async subject(customerId: string, now: string): Promise<SegmentSubject | undefined> {
    return subjectOf((await this.partition(customerPk(customerId))).filter((i) => !isExpired(i, now)));
  }

  /** Every item of one customer a segment reads. */
  private async partition(pk: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ...KIND_FILTER,
          ExpressionAttributeValues: { ...SEGMENT_KINDS, ':pk': pk },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
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
