/**
 * Drafts, versions, approvals, pause and resume: how marketers change what sends (docs/authoring.md).
 * A draft is saved whatever its state and validated on every save by the same code as
 * `templates validate` and `campaigns deploy`; only a valid draft publishes, as an immutable version.
 */
export {
  ApprovalError,
  DraftInvalidError,
  UnknownCampaignVersionError,
  UnknownDraftError,
  type AuthoringDeps,
  type DraftView,
  type PublishAnswer,
  type TemplateDraftValidator,
} from './shared';
export {
  publishCheckedVersion,
  publishTemplateDraft,
  rollbackTemplateLogged,
  saveTemplateDraft,
  storeTemplateDraft,
  templateDraft,
} from './templateDrafts';
export {
  campaignDraft,
  campaignHistory,
  publishCampaignDraft,
  rollbackCampaign,
  saveCampaignDraft,
  validateCampaignParts,
} from './campaignDrafts';
export { approvePublish } from './approvals';
export { pauseCampaign, resumeCampaign } from './pauses';
