/**
 * What platforms delivered and what became of it, as the use cases need it (adapters/dynamo/deliveryStore.ts
 * implements it).
 */
import type { FieldError } from '../../domain/events/events';

export type DeliveryStatus = 'accepted' | 'partly-refused' | 'refused' | 'ignored' | 'duplicate';

export interface DeliveryRecord {
  id: string;
  source: string;
  /** Which key or signed source sent it: a key's name, `shopify:<shop domain>`, `woocommerce`, `segment-webhook`. */
  sender: string;
  receivedAt: string;
  status: DeliveryStatus;
  /** The platform's topic or message kind, when it has one (`checkouts/update`, `batch`). */
  topic?: string;
  /** Event type → how many were accepted. */
  mapped: Record<string, number>;
  /** Reason → how many items were acknowledged and not stored. */
  ignored: Record<string, number>;
  /** Compliance actions carried out (`erase`, `data-request`). */
  actions?: Record<string, number>;
  rejected: { ref: string; errors: FieldError[] }[];
}

export interface Deliveries {
  record(delivery: DeliveryRecord): Promise<void>;
  /** Deliveries of the last `days` days, newest first; `status: 'rejected'` keeps those with refusals. */
  list(
    now: string,
    {
      days,
      status,
      source,
      limit,
    }?: {
      days?: number;
      status?: 'rejected' | DeliveryStatus;
      source?: string;
      limit?: number;
    },
  ): Promise<
    (DeliveryRecord & {
      rejectedCount: number;
    })[]
  >;
  /** Marks a platform delivery id as seen (7 days); false when it was seen already. */
  seen(source: string, deliveryKey: string): Promise<boolean>;
  markSeen(source: string, deliveryKey: string, now: string): Promise<void>;
}
