/**
 * Campaign result counters as the use cases need them (adapters/dynamo/statsStore.ts implements it).
 */
import { type Count, type StatsKey } from '../../domain/results/counters';

/**
 * Campaign results as counters (docs/results.md, docs/storage.md), in the customers table but outside
 * any customer's partition — they name no one:
 *
 *   STATS#<campaignId> / <day>#<stepId>#<variant>   one row of counters, added to with UpdateItem ADD
 *   STATS / <day>#<campaignId>                      which campaigns have rows on a day (for "all campaigns")
 *
 * A count that must happen once (`Count.once`) first writes a marker into the customer's partition with
 * a condition; only the write that creates it goes on to add. A row is one item per campaign, day, step
 * and variant: plain UpdateItems on it never conflict with each other (unlike transactions would).
 */
export interface StatsRow extends StatsKey {
  counters: Record<string, number>;
}

export interface Stats {
  /**
   * Adds each count; returns how many were added (a count already made once is not). A failure after a
   * marker was written removes the marker again, so the caller's retry counts it.
   */
  record(counts: Count[], at: string): Promise<number>;
  /**
   * Each count's fate: added (true), counted before (false), or failed (its marker removed again).
   * Counts of one row are added with one write: what a queue batch of SES events counts together.
   */
  recordEach(counts: Count[], at: string): Promise<PromiseSettledResult<boolean>[]>;
  /** One campaign's rows from since to until (YYYY-MM-DD, both included). */
  rows(campaignId: string, since: string, until: string): Promise<StatsRow[]>;
  /** Campaigns with any row from since to until. */
  campaigns(since: string, until: string): Promise<string[]>;
}
