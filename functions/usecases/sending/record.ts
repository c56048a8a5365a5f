import { DEFAULT_VARIANT, outcomeCount } from '../../domain/results/counters';
import { logger } from '../../shared/logger';
import { toErrorContext } from '../../shared/errors';
import { countQuietly } from '../countResults';
import { chunksOf } from '../../shared/chunks';
import { type SendJobDeps, type SendOutcome, JOBS_PER_TRANSACTION, isOutcome, type SentEmail } from './types';

/**
 * Phase 4, record: a sent job's next state and its log entry, after SES answered. A batch's records go
 * together once its emails are back, without waiting for a hung call (the stragglers are recorded alone).
 */

/**
 * The records of a batch's sent emails, in transactions of up to JOBS_PER_TRANSACTION jobs once every
 * email of the batch is back (or the stragglers' wait is over: each of those is recorded alone when it
 * comes back). When a transaction fails (one job's condition, or as a whole), each of its jobs is
 * recorded alone, as `sendJob` records it. Each outcome is counted after its record.
 */
export function recordTogether(deps: SendJobDeps, emails: Promise<SentEmail | SendOutcome>[], now: string): Promise<SendOutcome>[] {
  const recorded = backTogether(emails).then(async (back) => {
    const sent = back.flatMap((email, n) => (email !== undefined && !isOutcome(email) ? [{ email, n }] : []));
    const together = new Set<number>();
    await Promise.all(
      chunksOf(sent, JOBS_PER_TRANSACTION)
        .filter((chunk) => chunk.length > 1)
        .map(async (chunk) => {
          try {
            await deps.jobs.recordSentAll(chunk.map(({ email }) => email));
            for (const { n } of chunk) together.add(n);
          } catch (error) {
            logger.warn('batch record failed; recording its sends one by one', toErrorContext(error));
          }
        }),
    );
    return together;
  });
  return emails.map(async (email, n) => {
    const sent = await email;
    if (isOutcome(sent)) return sent;
    if (!(await recorded).has(n)) await record(deps, sent);
    return countSent(deps, sent, now);
  });
}

/**
 * How long a batch's record waits, after its first email is back, for the rest: SES answers in tens
 * of milliseconds, so a call still out by then is hung, and the emails already sent are recorded
 * without it (a hung call would otherwise hold them unrecorded until the function timed out, and
 * they would then close as "unknown outcome").
 */
const STRAGGLER_WAIT_MS = 2000;

/**
 * The emails back once all are, or once the stragglers' wait is over: those not back by then as
 * undefined. The wait starts with the first email SES took, not the first outcome: a job skipped or
 * deferred is back before any claim is made.
 */
async function backTogether(emails: Promise<SentEmail | SendOutcome>[]): Promise<(SentEmail | SendOutcome | undefined)[]> {
  const back: (SentEmail | SendOutcome | undefined)[] = new Array(emails.length);
  let firstSent!: () => void;
  const oneSent = new Promise<void>((resolve) => (firstSent = resolve));
  const arrivals = emails.map((email, n) =>
    email.then(
      (value) => {
        back[n] = value;
        if (!isOutcome(value)) firstSent();
      },
      () => undefined,
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  const waitedEnough = oneSent.then(() => new Promise<void>((resolve) => (timer = setTimeout(resolve, STRAGGLER_WAIT_MS).unref())));
  await Promise.race([Promise.all(arrivals), waitedEnough]);
  clearTimeout(timer);
  return [...back];
}

export async function countSent(deps: SendJobDeps, sent: SentEmail, now: string): Promise<SendOutcome> {
  const count = outcomeCount(sent.claimed, sent.variant ?? DEFAULT_VARIANT, 'sent', undefined, now, sent.tracking);
  await countQuietly(deps.stats, [count], now, { customerId: sent.claimed.customerId, what: 'sent' });
  return { outcome: 'sent', messageId: sent.messageId };
}

/**
 * The email is out; the record must follow (transient failures are the DynamoDB client's to retry). If
 * it cannot be written the job stays `sending` until its claim times out and is closed as an unknown
 * outcome: for marketing mail we choose at most once.
 */
export async function record(deps: SendJobDeps, { claimed, next, entry }: SentEmail): Promise<void> {
  try {
    await deps.jobs.recordSent(claimed, next, entry);
  } catch (error) {
    logger.error('sent email could not be recorded; job left in sending', {
      jobId: claimed.jobId,
      customerId: claimed.customerId,
      ...toErrorContext(error),
    });
    throw error;
  }
}
