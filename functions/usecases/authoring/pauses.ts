import { isoNow } from '../ports/clock';
import type { Principal } from '../../domain/authoring/roles';
import { RELEASE_PER_MINUTE } from '../dispatchDueJobs';
import { type AuthoringDeps, UnknownDraftError, subjectOf, log, countOf } from './shared';
import { deployedCampaign } from './campaignDrafts';

/** Pause and resume: a kill switch that reaches the next due job without a deploy (docs/authoring.md). */

export async function pauseCampaign(id: string, principal: Principal, deps: AuthoringDeps): Promise<{ campaignId: string; paused: true }> {
  if (!(await deployedCampaign(id, deps))) throw new UnknownDraftError('campaign', id);
  await deps.authoring.pause(id, principal.actor, isoNow(deps.clock));
  deps.catalog.invalidate();
  await log(deps, principal, 'paused', subjectOf('campaign', id), 'due steps are held until resume');
  return { campaignId: id, paused: true };
}

/** Ends the pause, then releases the held steps, RELEASE_PER_MINUTE a minute, each through the usual gate. */
export async function resumeCampaign(
  id: string,
  principal: Principal,
  deps: AuthoringDeps,
): Promise<{ campaignId: string; paused: false; released: number }> {
  if (!(await deployedCampaign(id, deps))) throw new UnknownDraftError('campaign', id);
  const now = isoNow(deps.clock);
  const ended = await deps.authoring.resume(id);
  deps.catalog.invalidate();
  const released = await deps.jobs.releaseHeld(id, now, RELEASE_PER_MINUTE);
  const minutes = Math.ceil(released / RELEASE_PER_MINUTE);
  const since = ended ? `paused since ${ended.pausedAt.replace('T', ' ').slice(0, 16)} UTC; ` : '';
  const over = minutes > 1 ? ` over ${minutes} minutes` : '';
  await log(
    deps,
    principal,
    'resumed',
    subjectOf('campaign', id),
    `${since}${countOf(released, 'held step', 'held steps')} released${over}`,
  );
  return { campaignId: id, paused: false, released };
}
