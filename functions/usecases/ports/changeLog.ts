/**
 * The change log and the console sessions staff ended, as the use cases need them (adapters/dynamo/adminStore.ts
 * implements it).
 */

export const CHANGE_ACTIONS = [
  'draft-saved',
  'published',
  'publish-requested',
  'approved',
  'rolled-back',
  'paused',
  'resumed',
  'test-send',
  'signed-out-everyone',
  'segment-saved',
  'broadcast-created',
  'broadcast-cancelled',
] as const;

export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

export interface ChangeEntry {
  at: string;
  actor: string;
  action: ChangeAction;
  /** `template:<name>`, `campaign:<id>`, `segment:<id>`, `broadcast:<id>` or `console`. */
  subject: string;
  summary: string;
}

export interface ChangeLog {
  /**
   * Appends an entry. A draft save right after the same person's previous save of the same subject
   * replaces that entry (one "draft saved" line, with the count), so the log reads as decisions.
   */
  record(entry: ChangeEntry): Promise<void>;
  /** Newest first. */
  changes(limit?: number): Promise<
    (ChangeEntry & {
      sk: string;
      saves?: number;
      lastAt?: string;
      firstAt?: string;
    })[]
  >;
  revokeSession(nonce: string, expiresAt: number): Promise<void>;
  /** Every session issued before `notBeforeSeconds` ends. */
  revokeAllSessions(notBeforeSeconds: number): Promise<void>;
  /** Whether a session was signed out, or issued before everyone was signed out: one read per request. */
  sessionRevoked(nonce: string, issuedAtSeconds: number): Promise<boolean>;
  /**
   * Takes one of `limit` test sends of this person in the current minute of `now`; returns 0 when
   * taken, or the seconds until the next minute when the limit is reached.
   */
  takeTestSend(actor: string, now: Date, limit: number): Promise<number>;
}
