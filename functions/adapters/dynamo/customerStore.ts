import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CustomerState, EventEffects } from '../../domain/events/eventEffects';
import type { LoggedSend } from '../../domain/results/attribution';
import type { Job } from '../../domain/journeys/job';
import type { AddressSuppression, Cart, ConsentRecord, PreferenceRecord, Profile } from '../../domain/customers/profile';

export type { PreferenceRecord } from '../../domain/customers/profile';
import { ConcurrentUpdateError } from '../../shared/errors';
import { batchGet, queryAll, scanAll } from './batchGet';
import { type DeliveryLogEntry } from './deliveryLog';
import { AddressRecords } from './addressRecords';
import { AuditTrail } from './auditTrail';
import { eventWrites } from './eventWrites';
import { addressPk, customerPk, isExpired, revCondition, SK, strip, type Item } from './items';
import { chunksOf } from '../../shared/chunks';
import { LOST_RACE, rereadingOnConflict, untilAllProcessed } from '../../shared/retry';
import { type ApplyResult, type AddressFacts, type AuditEntry, type Customers } from '../../usecases/ports/customers';
export type { ApplyResult, AddressFacts } from '../../usecases/ports/customers';

/** How far back an order looks for the email that earned it: the longest attribution window allowed. */
const ATTRIBUTION_LOOKBACK_MS = 31 * 24 * 3600 * 1000;

/** Customer state as shop events change it: profile, consent ledger, carts, orders, views and journeys. */
export class CustomerStore implements Customers {
  private readonly addresses: AddressRecords;
  private readonly auditTrailStore: AuditTrail;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.addresses = new AddressRecords(doc, tableName);
    this.auditTrailStore = new AuditTrail(doc, tableName);
  }

  async getProfile(customerId: string): Promise<(Profile & { rev: number }) | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: customerPk(customerId), sk: SK.profile }, ConsistentRead: true }),
    );
    return Item ? strip(Item) : undefined;
  }

  /** What an event is decided from. For an order, also the recent delivery log (attribution). */
  async loadState(customerId: string, refs: { cartKey?: string; orderId?: string; views?: boolean }, now: string): Promise<CustomerState> {
    const { cartKey, orderId } = refs;
    const keys = [
      { pk: customerPk(customerId), sk: SK.profile },
      { pk: customerPk(customerId), sk: SK.erased },
    ];
    if (cartKey !== undefined) keys.push({ pk: customerPk(customerId), sk: SK.cart(cartKey) });
    if (orderId !== undefined) keys.push({ pk: customerPk(customerId), sk: SK.attribution(orderId) });
    const since = `LOG#${new Date(Date.parse(now) - ATTRIBUTION_LOOKBACK_MS).toISOString()}`;
    const viewsSince = `VIEW#${new Date(Date.parse(now) - 24 * 3600 * 1000).toISOString()}`;
    const [items, jobs, recentLog, recentViews] = await Promise.all([
      batchGet(this.doc, this.tableName, keys),
      this.listJobs(customerId),
      orderId !== undefined
        ? queryAll(this.doc, {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :since AND :end',
            ExpressionAttributeValues: { ':pk': customerPk(customerId), ':since': since, ':end': 'LOG#~' },
          }).then((found) => found.map((i) => strip<LoggedSend>(i)))
        : Promise.resolve(undefined),
      refs.views
        ? queryAll(this.doc, {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :since AND :end',
            ExpressionAttributeValues: { ':pk': customerPk(customerId), ':since': viewsSince, ':end': 'VIEW#~' },
          })
        : Promise.resolve(undefined),
    ]);
    const bySk = new Map(items.filter((i) => !isExpired(i, now)).map((i) => [i['sk'], i]));
    const profileItem = bySk.get(SK.profile);
    const cartItem = cartKey !== undefined ? bySk.get(SK.cart(cartKey)) : undefined;
    const erasedAt = bySk.get(SK.erased)?.['erasedAt'] as string | undefined;
    const orderAttributed = orderId !== undefined && bySk.has(SK.attribution(orderId));
    return {
      profile: profileItem && strip(profileItem),
      cart: cartItem && strip(cartItem),
      jobs,
      ...(erasedAt ? { erasedAt } : {}),
      ...(recentLog ? { recentLog, orderAttributed } : {}),
      ...(recentViews ? { recentViewSkus: recentViews.map((v) => String(v['sku'])) } : {}),
    };
  }

  listJobs(customerId: string): Promise<Job[]> {
    return this.queryPrefix<Job>(customerId, 'JOB#');
  }

  /** The events received for a customer in the last 30 days (receipts expire then): type and when. */
  async listReceipts(customerId: string): Promise<{ eventType: string; receivedAt: string }[]> {
    const items = await this.queryPrefix<Item>(customerId, 'EVT#');
    return items.map((i) => ({ eventType: String(i['eventType']), receivedAt: String(i['receivedAt']) }));
  }

  listCarts(customerId: string): Promise<Cart[]> {
    return this.queryPrefix<Cart>(customerId, 'CART#');
  }

  /**
   * Every profile: a full table scan, for simulations only (admin, on demand) — never on a
   * request or send path.
   */
  async scanProfiles(): Promise<Profile[]> {
    const items = await scanAll(this.doc, {
      TableName: this.tableName,
      FilterExpression: 'sk = :profile',
      ExpressionAttributeValues: { ':profile': SK.profile },
    });
    return items.map((i) => strip<Profile>(i));
  }

  /**
   * What the /why page of one email reads, in one batch read and the ledger's queries: the profile,
   * the email's log entry, its job and (for cart journeys) the cart. Parts that are gone are undefined.
   */
  async emailFacts(customerId: string, email: { sentAt: string; jobId: string; stepId: string; cartKey?: string }, now: string) {
    const pk = customerPk(customerId);
    const logSk = SK.log(email.sentAt, email.jobId, email.stepId);
    const keys = [
      { pk, sk: SK.profile },
      { pk, sk: SK.erased },
      { pk, sk: logSk },
      { pk, sk: SK.job(email.jobId) },
    ];
    if (email.cartKey !== undefined) keys.push({ pk, sk: SK.cart(email.cartKey) });
    const [items, ledger] = await Promise.all([batchGet(this.doc, this.tableName, keys), this.listLedger(customerId)]);
    const bySk = new Map(items.filter((i) => !isExpired(i, now)).map((i) => [i['sk'], i]));
    const found = <T>(sk: string): T | undefined => {
      const item = bySk.get(sk);
      return item ? strip<T>(item) : undefined;
    };
    return {
      profile: found<Profile & { rev: number }>(SK.profile),
      erased: bySk.has(SK.erased),
      entry: found<DeliveryLogEntry>(logSk),
      job: found<Job>(SK.job(email.jobId)),
      cart: email.cartKey !== undefined ? found<Cart>(SK.cart(email.cartKey)) : undefined,
      ...ledger,
    };
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
    const writes = eventWrites(this.tableName, event, effects, now);
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

  addressFacts(addressHash: string): Promise<AddressFacts> {
    return this.addresses.addressFacts(addressHash);
  }

  customersWithAddress(addressHash: string): Promise<string[]> {
    return this.addresses.customersWithAddress(addressHash);
  }

  unlinkAddress(addressHash: string, customerId: string): Promise<void> {
    return this.addresses.unlinkAddress(addressHash, customerId);
  }

  suppressAddress(addressHash: string, suppression: AddressSuppression): Promise<void> {
    return this.addresses.suppressAddress(addressHash, suppression);
  }

  audit(entry: AuditEntry): Promise<void> {
    return this.auditTrailStore.audit(entry);
  }

  auditTrail(day: string): Promise<Item[]> {
    return this.auditTrailStore.auditTrail(day);
  }

  /** The consent ledger and preference changes, oldest first. */
  async listLedger(customerId: string): Promise<{ consent: ConsentRecord[]; preferences: PreferenceRecord[] }> {
    const [consent, preferences] = await Promise.all([
      this.queryPrefix<ConsentRecord>(customerId, 'CONSENT#'),
      this.queryPrefix<PreferenceRecord>(customerId, 'PREF#'),
    ]);
    return { consent, preferences };
  }

  /** Every item in the customer's partition, with its kind: the raw material of a data export. */
  async listEverything(customerId: string): Promise<Item[]> {
    return this.queryPrefix<Item>(customerId, '', { keepKind: true });
  }

  /**
   * Read-modify-write of the profile with its audit records in one transaction; re-reads and retries
   * when a concurrent writer changed the profile meanwhile.
   */
  async updateProfile(
    customerId: string,
    change: (profile: Profile) => { next: Profile; records: PreferenceRecord[] } | undefined,
  ): Promise<Profile | undefined> {
    return rereadingOnConflict(async () => {
      const current = await this.getProfile(customerId);
      if (!current) return undefined;
      const { rev, ...profile } = current;
      const result = change(profile);
      if (!result) return profile;
      const pk = customerPk(customerId);
      try {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...result.next, pk, sk: SK.profile, kind: 'profile', rev: rev + 1 },
                  ...revCondition(rev, 'rev'),
                },
              },
              ...result.records.map((r) => ({
                Put: { TableName: this.tableName, Item: { ...r, pk, sk: SK.preference(r.at, r.id), kind: 'preference' } },
              })),
            ],
          }),
        );
        return result.next;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        return LOST_RACE;
      }
    }, `profile of ${customerId}`);
  }

  async erase(
    customerId: string,
    keep: readonly string[],
    marker: { erasedAt: string; via: string },
    tombstone: { addressHash: string; at: string } | undefined,
  ): Promise<Record<string, number>> {
    const pk = customerPk(customerId);
    const removed: Record<string, number> = {};
    const doomed = (await this.listEverything(customerId)).filter((i) => !keep.includes(String(i['kind'])) && i['sk'] !== SK.erased);
    // BatchWriteItem takes 25 requests.
    for (const chunk of chunksOf(doomed, 25)) {
      const deletes = chunk.map((item) => ({ DeleteRequest: { Key: { pk, sk: item['sk'] } } }));
      const left = await untilAllProcessed(deletes, async (requests) => {
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: [...requests] } }));
        return (out.UnprocessedItems?.[this.tableName] ?? []) as typeof deletes;
      });
      if (left.length > 0) throw new Error(`BatchWriteItem kept leaving ${left.length} deletes unprocessed`);
    }
    for (const item of doomed) removed[String(item['kind'] ?? 'other')] = (removed[String(item['kind'] ?? 'other')] ?? 0) + 1;
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...marker, pk, sk: SK.erased, kind: 'erasure' } }));
    if (tombstone) {
      const item = { pk: addressPk(tombstone.addressHash), sk: 'TOMBSTONE', kind: 'tombstone', reason: 'erased', at: tombstone.at };
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: item }));
    }
    return removed;
  }

  private async queryPrefix<T>(customerId: string, prefix: string, { keepKind = false } = {}): Promise<T[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
      ExpressionAttributeValues: prefix ? { ':pk': customerPk(customerId), ':prefix': prefix } : { ':pk': customerPk(customerId) },
      ConsistentRead: true,
    });
    return items.map((i) => (keepKind ? (i as T) : strip<T>(i)));
  }
}
