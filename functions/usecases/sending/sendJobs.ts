import { isoNow } from '../ports/clock';
import type { SendMessage } from '../ports/queues';
import { logger } from '../../shared/logger';
import { toErrorContext } from '../../shared/errors';
import { type SendJobDeps, type SendOutcome, campaignIdOf, cartKeyOf, isOutcome } from './types';
import { decide } from './decide';
import { claimAlone, claimTogether } from './claim';
import { deliver } from './send';
import { recordTogether, countSent, record } from './record';

/**
 * One job, or a queue batch, through the phases: decide, claim, send, record (docs/sending.md).
 */

/**
 * Sends one due job, or records the one reason it does not send now. Everything is re-read and
 * re-checked here, at send time. Throws TransientSendError when SES did not take the email, so the
 * queue retries it.
 */
export async function sendJob(message: SendMessage, deps: SendJobDeps): Promise<SendOutcome> {
  const now = isoNow(deps.clock);
  const campaign = await deps.catalog.campaign(campaignIdOf(message.jobId));
  const facts = await deps.jobs.loadForSend(message.customerId, message.jobId, cartKeyOf(campaign, message), now);
  const ready = await decide(deps, message, campaign, facts, now);
  if (isOutcome(ready)) return ready;
  const claimed = await claimAlone(deps, ready, now);
  if (isOutcome(claimed)) return claimed;
  const sent = await deliver(deps, ready, claimed, now);
  if (isOutcome(sent)) return sent;
  await record(deps, sent);
  return countSent(deps, sent, now);
}

/**
 * A queue batch, with the guarantees of `sendJob` for each job and a few requests for all: one read of
 * every job's facts, one transaction for the claims, the emails in parallel, one transaction for the
 * records. A customer's first job in the batch goes with the others; a later one of the same customer
 * is sent alone once the batch's claims are settled, so it sees the cap slot the first took. A claim
 * the transaction could not make is decided again alone, as `sendJob` would: a job that moved on is
 * left, a cap that changed is re-read. Each job settles on its own: one failure fails only its record.
 */
export async function sendJobs(messages: SendMessage[], deps: SendJobDeps): Promise<PromiseSettledResult<SendOutcome>[]> {
  const firsts = new Set<number>();
  const customers = new Set<string>();
  messages.forEach((m, i) => {
    if (!customers.has(m.customerId)) firsts.add(i);
    customers.add(m.customerId);
  });
  const together = messages.map((m, i) => ({ message: m, i })).filter(({ i }) => firsts.has(i));
  const outcomes: Promise<SendOutcome>[] = new Array(messages.length);

  const now = isoNow(deps.clock);
  let claimsSettled: Promise<unknown>;
  try {
    const campaigns = await Promise.all(together.map(({ message }) => deps.catalog.campaign(campaignIdOf(message.jobId))));
    const facts = await deps.jobs.loadForSendAll(
      together.map(({ message }, n) => ({
        customerId: message.customerId,
        jobId: message.jobId,
        cartKey: cartKeyOf(campaigns[n], message),
      })),
      now,
    );
    const decided = together.map(({ message }, n) => decide(deps, message, campaigns[n], facts[n]!, now));
    const claims = claimTogether(deps, decided, now);
    claimsSettled = claims.then((each) => Promise.allSettled(each)).catch(() => undefined);
    const emails = together.map(async (_, n) => {
      const ready = await decided[n]!;
      if (isOutcome(ready)) return ready;
      // Every job that is ready has its claim.
      const claimed = await (await claims)[n]!;
      if (isOutcome(claimed)) return claimed;
      return deliver(deps, ready, claimed, now);
    });
    const recorded = recordTogether(deps, emails, now);
    together.forEach(({ i }, n) => (outcomes[i] = recorded[n]!));
  } catch (error) {
    // The batch's read failed as a whole (throttling, the network): each job is tried alone.
    logger.warn('batch read failed; sending its jobs one by one', toErrorContext(error));
    for (const { message, i } of together) outcomes[i] = sendJob(message, deps);
    claimsSettled = Promise.resolve();
  }
  messages.forEach((message, i) => {
    if (!firsts.has(i)) outcomes[i] = claimsSettled.then(() => sendJob(message, deps));
  });
  return Promise.allSettled(outcomes);
}
