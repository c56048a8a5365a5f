import { addressHash } from '../../domain/consent/addressHash';
import { allows, lacksRole, type Principal, type Role } from '../../domain/authoring/roles';
import { campaignReport } from '../../usecases/campaignReport';
import { pauseCampaign, resumeCampaign } from '../../usecases/authoring';
import { simulateCampaign, UnknownCampaignError } from '../../usecases/simulateCampaign';
import type { HttpRequest, HttpResponse } from '../http';
import { changesPage } from './authoringPages';
import { broadcastsRoute, segmentsRoute } from './broadcastConsole';
import type { ActingDeps, ConsoleDeps } from './consoleHandler';
import { customersRoute } from './customerPages';
import { editorRoute } from './editorApi';
import { html, page, seeOther, type PageContext } from './html';
import { integrationsRoute } from './integrationPages';
import { campaignPage, campaignsPage, type CampaignRow } from './campaignPages';
import { templatesPage } from './templatePages';
import { RANGES, reportsPage } from './reportPages';
import { templateRoute } from './templateConsole';

/** The console's routes, once the sign-in (signIn/) has said who is asking: a page per section. */

/** The least role each console form needs; pages only show the forms a role may use. */
const FORM_ROLES: Record<string, Role> = {
  simulate: 'editor',
  'test-send': 'editor',
  publish: 'publisher',
  rollback: 'publisher',
  pause: 'publisher',
  resume: 'publisher',
  'publish-draft': 'publisher',
  approve: 'publisher',
};

function refused(ctx: PageContext, principal: Principal, action: string): HttpResponse | undefined {
  const needs = FORM_ROLES[action];
  if (!needs || allows(principal.role, needs)) return undefined;
  return page(
    'Refused',
    ctx,
    html`<h1>Refused</h1>
      <p>${action}: ${lacksRole(principal, needs)}.</p>`,
    403,
  );
}

export async function consoleRoute(
  method: string,
  segments: string[],
  request: HttpRequest,
  form: URLSearchParams,
  ctx: PageContext,
  deps: ActingDeps,
): Promise<HttpResponse> {
  const [section, id, action] = segments;
  const query = request.queryStringParameters ?? {};
  const edited = await editorRoute(method, segments, request, form, ctx, deps);
  if (edited) return edited;
  if (method === 'POST' && action) {
    const no = refused(ctx, deps.principal, action);
    if (no) return no;
  }
  if (!section && method === 'GET') return campaignList(ctx, deps);
  if (section === 'changes' && !id && method === 'GET') return changesPage(ctx, await deps.changes.changes());
  if (section === 'campaigns' && id) {
    const campaign = await deps.catalog.campaign(id);
    if (!campaign) throw new UnknownCampaignError(id);
    const paused = (await deps.authoring.pausedCampaigns()).find((p) => p.campaignId === id);
    if (method === 'POST' && action === 'simulate') return campaignPage(ctx, campaign, await simulateCampaign(id, undefined, deps), paused);
    if (method === 'POST' && (action === 'pause' || action === 'resume')) {
      await (action === 'pause' ? pauseCampaign : resumeCampaign)(id, deps.principal, deps);
      return seeOther(`/admin/campaigns/${encodeURIComponent(id)}?notice=${action === 'pause' ? 'paused' : 'resumed'}`);
    }
    if (method === 'GET' && !action) return campaignPage(ctx, campaign, undefined, paused);
  }
  if (section === 'templates' && !id && method === 'GET')
    return templatesPage(
      ctx,
      await deps.catalogStore.listTemplatePointers(),
      deps.drafts?.names() ?? [],
      (await deps.authoring.listDrafts('template')).map((d) => d.name),
    );
  if (section === 'templates' && id) return templateRoute(method, id, action, query, form, ctx, deps);
  if (section === 'reports' && !id && method === 'GET') return reports(query, ctx, deps);
  if (section === 'customers') {
    const tokenKey = deps.tokenKey;
    const lookup = {
      customers: deps.customers,
      clock: deps.clock,
      addressHash: async (a: string) => addressHash(a, await tokenKey()),
      campaigns: () => deps.catalog.campaigns(),
    };
    const answer = await customersRoute(
      method,
      segments.slice(1),
      form,
      ctx,
      { actor: deps.actor, via: 'console' },
      deps.config.defaultTimeZone,
      lookup,
    );
    if (answer) return answer;
  }
  if (section === 'segments') {
    const answer = await segmentsRoute(method, id, form, ctx, deps);
    if (answer) return answer;
  }
  if (section === 'broadcasts') {
    const answer = await broadcastsRoute(method, id, action, form, ctx, deps);
    if (answer) return answer;
  }
  if (section === 'integrations') {
    // Creating or revoking a shop's key is a publisher's.
    if (method === 'POST' && !allows(deps.principal.role, 'publisher')) {
      return page(
        'Refused',
        ctx,
        html`<h1>Refused</h1>
          <p>Changing keys ${lacksRole(deps.principal, 'publisher')}.</p>`,
        403,
      );
    }
    return integrationsRoute(method, segments.slice(1), form, ctx, deps.integrations, deps.actor, deps.customers);
  }
  return page(
    'Not found',
    ctx,
    html`<h1>Not found</h1>
      <p>Nothing here.</p>`,
    404,
  );
}

async function campaignList(ctx: PageContext, deps: ConsoleDeps): Promise<HttpResponse> {
  const [campaigns, pointers] = await Promise.all([deps.catalog.campaigns(), deps.catalogStore.listTemplatePointers()]);
  const report = await campaignReport({ since: '7d' }, deps);
  const results = new Map(report.campaigns.map((c) => [c.campaignId, c.totals]));
  const published = new Set(pointers.map((p) => p.name));
  const rows: CampaignRow[] = campaigns
    .map((campaign) => {
      const totals = results.get(campaign.id);
      const headline = totals && {
        sent: totals.counts.sent,
        openRate: totals.rates.openRate,
        clickRate: totals.rates.clickRate,
        conversions: totals.counts.converted,
        optOutRate: totals.rates.optOutRate,
      };
      return { campaign, headline, templatesPublished: campaign.steps.every((s) => published.has(s.template)) };
    })
    .sort((a, b) => a.campaign.name.localeCompare(b.campaign.name));
  const deployed = new Set(campaigns.map((c) => c.id));
  const drafts = (await deps.authoring.listDrafts('campaign')).map((d) => d.name).filter((id) => !deployed.has(id));
  return campaignsPage(ctx, rows, 'last 7 days', drafts.sort());
}

async function reports(query: Record<string, string | undefined>, ctx: PageContext, deps: ConsoleDeps): Promise<HttpResponse> {
  const since = (RANGES as readonly string[]).includes(query['since'] ?? '') ? query['since']! : '30d';
  const campaigns = (await deps.catalog.campaigns()).slice().sort((a, b) => a.name.localeCompare(b.name));
  const campaign = campaigns.find((c) => c.id === query['campaign'])?.id;
  return reportsPage(ctx, await campaignReport({ campaignId: campaign, since }, deps), campaigns, { campaign, since });
}
