import type { EventEffects } from '../../domain/events/eventEffects';
import { logEntryFor, logItem } from './deliveryLog';
import { addressCustomerSk, addressPk, customerPk, expiresAt, jobItem, RETENTION_DAYS, revCondition, SK, type TransactItem } from './items';

/**
 * The writes of one shop event's effects, as one transaction: its receipt first (its condition makes a
 * redelivered event a no-op, and the caller reads the first cancellation reason as "duplicate"), then
 * every effect, each conditional on what it was decided from.
 */
export function eventWrites(
  tableName: string,
  event: { id: string; customerId: string; type: string },
  effects: EventEffects,
  now: string,
): TransactItem[] {
  const t = tableName;
  const pk = customerPk(event.customerId);
  const writes: TransactItem[] = [
    {
      Put: {
        TableName: t,
        Item: {
          pk,
          sk: SK.receipt(event.id),
          kind: 'eventReceipt',
          eventType: event.type,
          receivedAt: now,
          expiresAt: expiresAt(now, RETENTION_DAYS.eventReceipt),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  if (effects.profile) {
    const { next, expectedRev } = effects.profile;
    writes.push({
      Put: {
        TableName: t,
        Item: { ...next, pk, sk: SK.profile, kind: 'profile', rev: (expectedRev ?? 0) + 1 },
        ...revCondition(expectedRev, 'rev'),
      },
    });
  }
  if (effects.cart) {
    const cart = effects.cart;
    // A cart derived from the stored one (an item added or removed) must still be built on that cart.
    const derived = effects.cartBuiltOn;
    const condition =
      derived === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk) OR updatedAt <= :at', ExpressionAttributeValues: { ':at': cart.updatedAt } }
        : derived === null
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : derived === 0
            ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(cartRev)' }
            : { ConditionExpression: 'cartRev = :built', ExpressionAttributeValues: { ':built': derived } };
    const item = { ...cart, pk, sk: SK.cart(cart.cartKey), kind: 'cart', expiresAt: expiresAt(cart.updatedAt, RETENTION_DAYS.cart) };
    writes.push({ Put: { TableName: t, Item: item, ...condition } });
  }
  for (const r of effects.preferenceRecords ?? []) {
    writes.push({ Put: { TableName: t, Item: { ...r, pk, sk: SK.preference(r.at, r.id), kind: 'preference' } } });
  }
  if (effects.consentRecord) {
    const r = effects.consentRecord;
    writes.push({ Put: { TableName: t, Item: { ...r, pk, sk: SK.consent(r.at, r.eventId), kind: 'consent' } } });
  }
  if (effects.order) {
    const o = effects.order;
    writes.push({
      Put: {
        TableName: t,
        Item: { ...o, pk, sk: SK.order(o.orderId), kind: 'order', expiresAt: expiresAt(o.placedAt, RETENTION_DAYS.order) },
      },
    });
  }
  if (effects.view) {
    const v = effects.view;
    writes.push({
      Put: {
        TableName: t,
        Item: { ...v, pk, sk: SK.view(v.viewedAt, v.eventId), kind: 'view', expiresAt: expiresAt(v.viewedAt, RETENTION_DAYS.view) },
      },
    });
  }
  if (effects.attribution) {
    const a = effects.attribution;
    writes.push({
      Put: {
        TableName: t,
        Item: { ...a, pk, sk: SK.attribution(a.orderId), kind: 'attribution', expiresAt: expiresAt(a.orderAt, RETENTION_DAYS.order) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  for (const change of effects.jobs) {
    writes.push({ Put: { TableName: t, Item: jobItem(change.job), ...revCondition(change.expectedVersion, 'version') } });
    if (change.kind === 'cancel') {
      const entry = logEntryFor(change.job, 'cancelled', now, { reason: 'cancelled', detail: change.job.reasonDetail });
      writes.push({ Put: { TableName: t, Item: logItem(entry) } });
    }
  }
  if (effects.addressLink) {
    const { hash, previousHash } = effects.addressLink;
    const link = { pk: addressPk(hash), sk: addressCustomerSk(event.customerId) };
    writes.push({ Put: { TableName: t, Item: { ...link, kind: 'addressLink', customerId: event.customerId, at: now } } });
    if (previousHash && previousHash !== hash)
      writes.push({ Delete: { TableName: t, Key: { pk: addressPk(previousHash), sk: addressCustomerSk(event.customerId) } } });
  }

  return writes;
}
