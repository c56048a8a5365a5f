import { customerPk, expiresAt, RETENTION_DAYS, SK, type Item } from './items';
import type { DeliveryLogEntry } from '../../domain/sending/deliveryLog';

// The entries themselves are the domain's (domain/deliveryLog.ts); here is how one is stored.
export { logEntryFor } from '../../domain/sending/deliveryLog';
export type { DeliveryLogEntry, DeliveryOutcome, WhyFacts } from '../../domain/sending/deliveryLog';

export function logItem(entry: DeliveryLogEntry): Item {
  return {
    ...entry,
    pk: customerPk(entry.customerId),
    sk: SK.log(entry.at, entry.jobId, entry.stepId),
    kind: 'deliveryLog',
    campaignDay: `${entry.campaignId}#${entry.at.slice(0, 10)}`,
    loggedAt: `${entry.at}#${entry.customerId}#${entry.jobId}`,
    expiresAt: expiresAt(entry.at, RETENTION_DAYS.deliveryLog),
  };
}
