import { isoNow } from '../ports/clock';
import type { DraftKind } from '../ports/drafts';
import type { Principal } from '../../domain/authoring/roles';
import type { TemplateParts } from '../../domain/authoring/draftParts';
import { type AuthoringDeps, DraftInvalidError, ApprovalError, subjectOf, log, type PublishAnswer } from './shared';
import { publishTemplate } from './templateDrafts';
import { publishCampaign, validateCampaignParts } from './campaignDrafts';

/** Four eyes: another publisher approves what was asked for, validated again before it publishes. */

/** Another publisher approves: the parts that were asked for are validated again and published. */
export async function approvePublish(kind: DraftKind, name: string, principal: Principal, deps: AuthoringDeps): Promise<PublishAnswer> {
  const pending = (await deps.authoring.pendingApprovals()).find((a) => a.kind === kind && a.name === name);
  if (!pending) throw new ApprovalError(`no publish of ${kind} ${name} is waiting for approval`, 404);
  if (pending.requestedBy === principal.actor)
    throw new ApprovalError(`needs a second publisher: ${principal.actor} asked for this publish and cannot approve it too`, 403);
  if (!(await deps.authoring.takeApproval(kind, name)))
    throw new ApprovalError(`no publish of ${kind} ${name} is waiting for approval`, 404);
  await log(deps, principal, 'approved', subjectOf(kind, name), `${pending.summary}, asked by ${pending.requestedBy}`);
  if (kind === 'template') {
    const { validation, published } = await deps.templateValidator.validate(name, pending.parts as TemplateParts, isoNow(deps.clock));
    if (!validation.ok || !published) throw new DraftInvalidError(validation);
    return publishTemplate(published, pending.revision, principal, deps, pending.note);
  }
  const { validation, campaign } = await validateCampaignParts(name, pending.parts, deps);
  if (!campaign) throw new DraftInvalidError(validation);
  return publishCampaign(campaign, pending.revision, principal, deps, pending.note);
}
