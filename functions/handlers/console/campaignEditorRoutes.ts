import { z } from 'zod';
import { consoleScript } from '../../adapters/consoleAssets/consoleAssets';
import { EVENT_CONDITIONS } from '../../domain/journeys/campaign';
import { CONDITION_OPERATORS } from '../../domain/journeys/conditions';
import type { CampaignChoices, CampaignEditorData } from '../../domain/authoring/editorData';
import { campaignPartsSchema } from '../../domain/authoring/draftParts';
import { isName } from '../../domain/authoring/safeKeys';
import { MARKETING_TOPICS, SHOP_EVENT_TYPES, SUPPORTED_LOCALES } from '../../domain/events/events';
import { PERSONALIZATION_LEVELS } from '../../domain/customers/profile';
import { outcomeSentence } from '../../domain/wording/outcomes';
import { campaignDraft, UnknownDraftError, validateCampaignParts } from '../../usecases/authoring';
import { simulateDefinition } from '../../usecases/simulateCampaign';
import { isoNow } from '../../adapters/clock';
import { refuseUnless } from '../adminApiHandler';
import { parseWith } from '../bodySchema';
import { json, parseJsonBody, problem, type HttpRequest, type HttpResponse } from '../http';
import { campaignEditorPage } from './campaignEditorPage';
import { tooManyRenders, viaAdminApi, type EditorDeps } from './editorApi';
import { html, may, page, type PageContext } from './html';

/**
 * The campaign editor's routes in the console (session and CSRF checked by the console handler):
 *   GET  /admin/campaigns/new                     "New campaign": the form, empty
 *   GET  /admin/campaigns/{id}/edit               the form with the draft (or the running version)
 *   POST /admin/campaigns/{id}/draft              JSON {revision?, parts, create?}: the admin API's save, as the signed-in person
 *   POST /admin/campaigns/{id}/draft/simulate     JSON {parts}: the simulation of the draft, nothing sent (editors)
 *   POST /admin/campaigns/{id}/draft/publish      the admin API's publish (publishers)
 * Simulations count against the person's renders a minute, as the template editor's previews do.
 */

const FACTS = [
  'cart.itemCount',
  'cart.value',
  'order.total',
  'order.itemCount',
  'loyalty.tier',
  'loyalty.points',
  'product.price',
  'product.category',
  'product.viewsIn24h',
  'profile.country',
  'journey.key',
] as const;

const saveBody = z
  .object({ revision: z.number().int().min(0).optional(), parts: campaignPartsSchema, create: z.boolean().optional() })
  .strict();
const simulateBody = z.object({ parts: campaignPartsSchema }).strict();

/** A new campaign's form: the fields a campaign needs, with the schema's defaults. */
const NEW_CAMPAIGN = (template: string | undefined): Record<string, unknown> => ({
  id: '',
  name: '',
  kind: 'marketing',
  topic: 'newsletter',
  priority: 50,
  trigger: { event: 'customer.upserted' },
  journeyKey: 'customer',
  steps: [{ id: 'first', delay: 'PT1H', ...(template ? { template } : {}) }],
  cancelOn: [],
  reentryAfter: 'P1D',
  requiredLevel: 'basic',
  whenCapped: 'skip',
  holdout: 0,
  attributionWindow: 'P5D',
});

export async function campaignEditorRoute(
  method: string,
  segments: string[],
  request: HttpRequest,
  ctx: PageContext,
  deps: EditorDeps,
): Promise<HttpResponse | undefined> {
  const [, id, action, sub] = segments;
  if (!id) return undefined;
  if (id === 'new' && !action && method === 'GET') return editor(undefined, ctx, deps);
  if (!isName(id)) return undefined;
  const enc = encodeURIComponent(id);
  if (method === 'GET' && action === 'edit' && !sub) return editor(id, ctx, deps);
  if (method !== 'POST' || action !== 'draft') return undefined;
  const raw = parseJsonBody(request);
  if ('response' in raw) return raw.response;
  if (!sub) {
    const wanted = parseWith(saveBody, raw.value);
    if ('response' in wanted) return wanted.response;
    const { create, ...save } = wanted.value;
    // "New campaign" makes a new one: an id that runs or is drafted already is not taken over.
    if (create && (id === 'new' || (await deps.catalog.campaign(id)) || (await deps.authoring.getDraft('campaign', id))))
      return problem(409, 'id', `a campaign "${id}" exists already: choose another id, or open it from the campaigns list`);
    return viaAdminApi('PUT', `/admin/api/campaigns/${enc}/draft`, save, deps);
  }
  if (sub === 'simulate') {
    const no = refuseUnless(deps.principal, 'editor') ?? tooManyRenders(deps);
    if (no) return no;
    const wanted = parseWith(simulateBody, raw.value);
    if ('response' in wanted) return wanted.response;
    const { validation, campaign } = await validateCampaignParts(id, wanted.value.parts, deps);
    if (!campaign) return json(422, { error: { path: 'parts', message: 'the draft does not validate' }, validation });
    const simulation = await simulateDefinition(campaign, undefined, deps);
    const now = isoNow(deps.clock);
    const reasons = Object.fromEntries(
      Object.keys(simulation.notSent).map((key) => {
        const [outcome, reason] = key.startsWith('deferred:') ? ['deferred', key.slice('deferred:'.length)] : ['skipped', key];
        const detail = reason === 'no-consent' ? campaign.topic : undefined;
        const ctxWords = { viewerZone: ctx.zone ?? 'UTC', recipientZone: "the customer's time zone", now };
        return [key, outcomeSentence({ outcome, reason, at: now, ...(detail ? { detail } : {}) }, ctxWords)];
      }),
    );
    return json(200, { simulation, reasons });
  }
  if (sub === 'publish') return viaAdminApi('POST', `/admin/api/campaigns/${enc}/draft/publish`, undefined, deps);
  return undefined;
}

async function choices(deps: EditorDeps): Promise<CampaignChoices> {
  const templates = (await deps.catalogStore.listTemplatePointers()).map((p) => p.name).sort();
  return {
    eventTypes: SHOP_EVENT_TYPES,
    eventConditions: EVENT_CONDITIONS,
    operators: CONDITION_OPERATORS,
    topics: [...MARKETING_TOPICS, 'transactional'],
    journeyKeys: ['cartId', 'customer', 'orderId', 'tier'],
    levels: PERSONALIZATION_LEVELS,
    locales: SUPPORTED_LOCALES,
    templates,
    facts: FACTS,
  };
}

async function editor(id: string | undefined, ctx: PageContext, deps: EditorDeps): Promise<HttpResponse> {
  const options = await choices(deps);
  let draft;
  if (id) {
    try {
      draft = await campaignDraft(id, deps);
    } catch (error) {
      if (!(error instanceof UnknownDraftError)) throw error;
      return page(
        'Not found',
        ctx,
        html`<h1>Not found</h1>
          <p>${error.message}. <a href="/admin/campaigns/new">New campaign</a></p>`,
        404,
      );
    }
  }
  const running = id ? await deps.catalog.campaign(id) : undefined;
  const data: CampaignEditorData = {
    ...(id ? { id } : {}),
    revision: draft?.revision ?? 0,
    ...(draft?.savedAt ? { savedAt: draft.savedAt, savedBy: draft.savedBy } : {}),
    parts: (draft?.parts as Record<string, unknown> | undefined) ?? NEW_CAMPAIGN(options.templates[0]),
    validation: draft?.validation ?? { ok: false, errors: [], warnings: [] },
    ...(running ? { running: running.version } : {}),
    choices: options,
    canEdit: may(ctx, 'editor'),
    canPublish: may(ctx, 'publisher'),
    csrf: ctx.csrf,
    urls: {
      save: '/admin/campaigns/{id}/draft',
      simulate: '/admin/campaigns/{id}/draft/simulate',
      publish: '/admin/campaigns/{id}/draft/publish',
      edit: '/admin/campaigns/{id}/edit',
      view: '/admin/campaigns/{id}',
    },
  };
  return campaignEditorPage(ctx, data, await consoleScript('campaign-editor'));
}
