/**
 * Customer state as the use cases need it: profile, consent ledger, carts, orders, views, journeys, the delivery log and
 * what is kept of an address (adapters/dynamo/customerStore.ts implements it).
 */
import type { CustomerState, EventEffects } from '../../domain/events/eventEffects';
import type { Job } from '../../domain/journeys/job';
import type { DeliveryLogEntry } from '../../domain/sending/deliveryLog';
import type { AddressSuppression, Cart, ConsentRecord, PreferenceRecord, Profile } from '../../domain/customers/profile';

/** A stored record as it is kept, with its `kind`: the raw material of exports and audits. */
export type StoredItem = Record<string, unknown>;

export type ApplyResult = 'applied' | 'duplicate';

/** What is kept of an address apart from any customer, by its salted hash. */
export interface AddressFacts {
  erasedAt?: string;
  suppression?: AddressSuppression;
}

/** Customer state as shop events change it: profile, consent ledger, carts, orders, views and journeys. */
/** One access to a customer's data by staff or by the customer: what, whose, through which door, when. */
export interface AuditEntry {
  /** `lookup`: a customer found by exact address in the console; `view`: their timeline opened there. */
  action: 'export' | 'erase' | 'data_request' | 'lookup' | 'view';
  customerId: string;
  via: string;
  /** Who did it, for what staff do (a staff account or key name, never a customer). */
  actor?: string;
  at: string;
  detail?: Record<string, number>;
}

export interface Customers {
  getProfile(customerId: string): Promise<
    | (Profile & {
        rev: number;
      })
    | undefined
  >;
  /** What an event is decided from. For an order, also the recent delivery log (attribution). */
  loadState(
    customerId: string,
    refs: {
      cartKey?: string;
      orderId?: string;
      views?: boolean;
    },
    now: string,
  ): Promise<CustomerState>;
  listJobs(customerId: string): Promise<Job[]>;
  /** The events received for a customer in the last 30 days (receipts expire then): type and when. */
  listReceipts(customerId: string): Promise<
    {
      eventType: string;
      receivedAt: string;
    }[]
  >;
  listCarts(customerId: string): Promise<Cart[]>;
  /**
   * Every profile: a full table scan, for simulations only (admin, on demand) — never on a
   * request or send path.
   */
  scanProfiles(): Promise<Profile[]>;
  /**
   * What the /why page of one email reads, in one batch read and the ledger's queries: the profile,
   * the email's log entry, its job and (for cart journeys) the cart. Parts that are gone are undefined.
   */
  emailFacts(
    customerId: string,
    email: {
      sentAt: string;
      jobId: string;
      stepId: string;
      cartKey?: string;
    },
    now: string,
  ): Promise<{
    consent: ConsentRecord[];
    preferences: PreferenceRecord[];
    profile:
      | (Profile & {
          rev: number;
        })
      | undefined;
    erased: boolean;
    entry: DeliveryLogEntry | undefined;
    job: Job | undefined;
    cart: Cart | undefined;
  }>;
  /** The customer's delivery log, oldest first: every send, skip, deferral and cancellation with its reason. */
  listLog(customerId: string): Promise<DeliveryLogEntry[]>;
  /**
   * Writes an event's effects and its receipt in one transaction. The receipt's condition makes a
   * redelivered event a no-op; every other condition guards what the effects were decided from.
   */
  applyEvent(
    event: {
      id: string;
      customerId: string;
      type: string;
    },
    effects: EventEffects,
    now: string,
  ): Promise<ApplyResult>;
  /**
   * What is known of an address by its salted hash, in one query: when it was erased, and whether SES
   * feedback suppressed it while no customer could be named.
   */
  addressFacts(addressHash: string): Promise<AddressFacts>;
  /** The customers who have this address now, by its salted hash: exact match only, never a listing. */
  customersWithAddress(addressHash: string): Promise<string[]>;
  /** Forgets that a customer has this address (their erasure). */
  unlinkAddress(addressHash: string, customerId: string): Promise<void>;
  /**
   * Suppresses an address by its salted hash, for whoever has it now or later. A hard bounce's "stops
   * transactional mail too" is never weakened by a later complaint.
   */
  suppressAddress(addressHash: string, suppression: AddressSuppression): Promise<void>;
  /** Who exported or erased whose data, when and through which door — never the content. */
  audit(entry: AuditEntry): Promise<void>;
  /** The audit trail of one UTC day. */
  auditTrail(day: string): Promise<StoredItem[]>;
  /** The consent ledger and preference changes, oldest first. */
  listLedger(customerId: string): Promise<{
    consent: ConsentRecord[];
    preferences: PreferenceRecord[];
  }>;
  /** Every item in the customer's partition, with its kind: the raw material of a data export. */
  listEverything(customerId: string): Promise<StoredItem[]>;
  /**
   * Read-modify-write of the profile with its audit records in one transaction; re-reads and retries
   * when a concurrent writer changed the profile meanwhile.
   */
  updateProfile(
    customerId: string,
    change: (profile: Profile) =>
      | {
          next: Profile;
          records: PreferenceRecord[];
        }
      | undefined,
  ): Promise<Profile | undefined>;
  /**
   * Deletes everything in the customer's partition except the kinds that must stay (`keep`), then writes
   * the erasure marker and, for an address, its tombstone (by salted hash: a later import of it starts
   * without consent). Idempotent: a second run finds less and says so. Answers how many of each kind went.
   */
  erase(
    customerId: string,
    keep: readonly string[],
    marker: { erasedAt: string; via: string },
    tombstone: { addressHash: string; at: string } | undefined,
  ): Promise<Record<string, number>>;
}
