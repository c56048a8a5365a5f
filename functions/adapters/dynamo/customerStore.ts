import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CustomerState, EventEffects } from '../../domain/eventEffects';
import type { Job } from '../../domain/job';
import type { Profile } from '../../domain/profile';
import { ConcurrentUpdateError } from '../../shared/errors';
import { batchGet } from './batchGet';
import { logEntryFor, logItem, type DeliveryLogEntry } from './deliveryLog';
import { customerPk, expiresAt, jobItem, RETENTION_DAYS, SK, strip, type Item } from './items';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export type ApplyResult = 'applied' | 'duplicate';

/** Customer state as shop events change it: profile, consent ledger, carts, orders, views and journeys. */
export class CustomerStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getProfile(customerId: string): Promise<(Profile & { rev: number }) | undefined> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: customerPk(customerId), sk: SK.profile } }));
    return Item ? strip(Item) : undefined;
  }

  async loadState(customerId: string, cartKey: string | undefined): Promise<CustomerState> {
    const keys = [{ pk: customerPk(customerId), sk: SK.profile }];
    if (cartKey !== undefined) keys.push({ pk: customerPk(customerId), sk: SK.cart(cartKey) });
    const [items, jobs] = await Promise.all([batchGet(this.doc, this.tableName, keys), this.listJobs(customerId)]);
    const profileItem = items.find((i) => i['sk'] === SK.profile);
    const cartItem = items.find((i) => i['sk'] !== SK.profile);
    return { profile: profileItem && strip(profileItem), cart: cartItem && strip(cartItem), jobs };
  }

  listJobs(customerId: string): Promise<Job[]> {
    return this.queryPrefix<Job>(customerId, 'JOB#');
  }

  /** The customer's delivery log, oldest first: every send, skip, deferral and cancellation with its reason. */
  listLog(customerId: string): Promise<DeliveryLogEntry[]> {
    return this.queryPrefix<DeliveryLogEntry>(customerId, 'LOG#');
  }

  /**
   * Writes an event's effects and its receipt in one transaction. The receipt's condition makes a
   * redelivered event a no-op; every other condition guards what the effects were decided from.
   */
  async applyEvent(event: { id: string; customerId: string; type: string }, effects: EventEffects, now: string): Promise<ApplyResult> {
    const t = this.tableName;
    const pk = customerPk(event.customerId);
    const writes: TransactItem[] = [
      {
        Put: {
          TableName: t,
          Item: { pk, sk: SK.receipt(event.id), kind: 'eventReceipt', eventType: event.type, receivedAt: now, expiresAt: expiresAt(now, RETENTION_DAYS.eventReceipt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (effects.profile) {
      const { next, expectedRev } = effects.profile;
      writes.push({ Put: { TableName: t, Item: { ...next, pk, sk: SK.profile, kind: 'profile', rev: (expectedRev ?? 0) + 1 }, ...revCondition(expectedRev, 'rev') } });
    }
    if (effects.cart) {
      const cart = effects.cart;
      writes.push({
        Put: {
          TableName: t,
          Item: { ...cart, pk, sk: SK.cart(cart.cartKey), kind: 'cart', expiresAt: expiresAt(cart.updatedAt, RETENTION_DAYS.cart) },
          ConditionExpression: 'attribute_not_exists(pk) OR updatedAt <= :at',
          ExpressionAttributeValues: { ':at': cart.updatedAt },
        },
      });
    }
    if (effects.consentRecord) {
      const r = effects.consentRecord;
      writes.push({ Put: { TableName: t, Item: { ...r, pk, sk: SK.consent(r.at, r.eventId), kind: 'consent' } } });
    }
    if (effects.order) {
      const o = effects.order;
      writes.push({ Put: { TableName: t, Item: { ...o, pk, sk: SK.order(o.orderId), kind: 'order', expiresAt: expiresAt(o.placedAt, RETENTION_DAYS.order) } } });
    }
    if (effects.view) {
      const v = effects.view;
      writes.push({ Put: { TableName: t, Item: { ...v, pk, sk: SK.view(v.viewedAt, v.eventId), kind: 'view', expiresAt: expiresAt(v.viewedAt, RETENTION_DAYS.view) } } });
    }
    for (const change of effects.jobs) {
      writes.push({ Put: { TableName: t, Item: jobItem(change.job), ...revCondition(change.expectedVersion, 'version') } });
      if (change.kind === 'cancel') {
        const entry = logEntryFor(change.job, 'cancelled', now, { reason: 'cancelled', detail: change.job.reasonDetail });
        writes.push({ Put: { TableName: t, Item: logItem(entry) } });
      }
    }

    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: writes }));
      return 'applied';
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
        if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) {
          throw new ConcurrentUpdateError(`customer state for event ${event.id}`);
        }
      }
      throw error;
    }
  }

  private async queryPrefix<T>(customerId: string, prefix: string): Promise<T[]> {
    const found: T[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': customerPk(customerId), ':prefix': prefix },
          ExclusiveStartKey: startKey,
        }),
      );
      found.push(...(page.Items ?? []).map((i) => strip<T>(i)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }
}

/** Optimistic concurrency: the item must still be at the revision the decision was made from. */
export function revCondition(expected: number | null, attribute: 'rev' | 'version'): { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> } {
  if (expected === null) return { ConditionExpression: 'attribute_not_exists(pk)' };
  return { ConditionExpression: `${attribute} = :expected`, ExpressionAttributeValues: { ':expected': expected } };
}
