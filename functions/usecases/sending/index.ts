/**
 * The send path as plain phases, each its own module (docs/architecture.md#the-send-path):
 *   decide.ts    the gate, the render and the pacing of one job: an outcome, or a job ready to claim
 *   claim.ts     the claim, atomic with the cap slot: alone, or a batch's in transactions
 *   send.ts      the email to SES, for a claimed job
 *   record.ts    the sent job's next state and log entry: alone, or a batch's together (stragglers apart)
 *   sendJobs.ts  one job, or a queue batch, through the phases
 *   compose.ts   what one customer gets from one step (shared with simulation and previews)
 */
export { sendJob, sendJobs } from './sendJobs';
export { composeEmail, shopOf, type ComposedEmail } from './compose';
export { pace, timeZoneOf } from './decide';
export type { SendJobDeps, SendOutcome } from './types';
