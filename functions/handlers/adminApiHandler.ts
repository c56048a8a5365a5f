import { eraseCustomer, exportCustomerData, type PreferenceDeps } from '../usecases/preferences';
import { isDate } from '../domain/results/range';
import type { JobStore } from '../adapters/dynamo/jobStore';
import type { DeliveryLogEntry } from '../adapters/dynamo/deliveryLog';
import { apiKeyMatches } from './apiKeys';
import { findRoute, header, json, parseJsonBody, problem, type HttpHandler, type HttpRequest, type HttpResponse } from './http';
import { parseEventBatch } from '../domain/events/eventBatch';
import { simulateCampaign, type SimulationDeps } from '../usecases/simulateCampaign';
import type { TemplateDeps } from '../usecases/templates';
import { handleTemplateApi, TEMPLATE_ACTIONS } from './templateApiHandler';
import type { StatsStore } from '../adapters/dynamo/statsStore';
import { campaignReport } from '../usecases/campaignReport';
import { INTEGRATION_ADMIN_ROUTES, type IntegrationAdminDeps } from './integrations/adminIntegrations';
import type { AuthoringDeps } from '../usecases/authoring';
import { AUTHORING_ROUTES } from './authoringApiHandler';
import { SEGMENT_ROUTES } from './segmentApiHandler';
import { BROADCAST_ROUTES } from './broadcastApiHandler';
import type { BroadcastStore } from '../adapters/dynamo/broadcastStore';
import type { Audience, SegmentDefinitions } from '../usecases/segments';
import { allows, lacksRole, type Principal, type Role } from '../domain/authoring/roles';
import { findCustomersByEmail } from '../usecases/customerLookup';
import { addressHash } from '../domain/consent/addressHash';
import { answering } from './errorAnswers';

async function simulate(campaignId: string, request: HttpRequest, deps: AdminApiDeps): Promise<HttpResponse> {
  let events;
  const body = parseJsonBody(request);
  if ('response' in body) return body.response;
  if (body.value !== undefined) {
    const parsed = parseEventBatch(body.value);
    if ('error' in parsed) return json(400, { rejected: [{ errors: [parsed.error] }] });
    if (parsed.rejected.length) return json(400, { rejected: parsed.rejected });
    events = parsed.accepted;
  }
  return json(200, await simulateCampaign(campaignId, events, deps));
}

async function report(request: HttpRequest, deps: AdminApiDeps): Promise<HttpResponse> {
  const q = request.queryStringParameters ?? {};
  const campaignId = q['campaign'] || undefined;
  if (campaignId !== undefined && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(campaignId))
    return problem(400, 'campaign', 'must be a campaign id (lowercase letters, digits and dashes)');
  return json(200, await campaignReport({ campaignId, since: q['since'] || undefined, until: q['until'] || undefined }, deps));
}

export interface AdminApiDeps
  extends PreferenceDeps, Omit<TemplateDeps, 'config'>, Omit<AuthoringDeps, 'clock' | 'catalog' | 'catalogStore'> {
  jobs: JobStore;
  /** Campaign results, for the report. */
  stats: StatsStore;
  /** Publishers' bearer keys (TACTFUL_ADMIN_KEY locally, the AdminKey secret on AWS). */
  adminKeys: () => Promise<readonly string[]>;
  /** Editors' bearer keys (TACTFUL_EDITOR_KEY locally): drafts, previews and test sends, no publishing. */
  editorKeys?: () => Promise<readonly string[]>;
  /** Where test sends may go: addresses and `*@domain`; undefined: anywhere (locally mail stays in the local inbox). */
  testSendAllowlist?: readonly string[];
  tokenKey: () => Promise<Buffer>;
  config: SimulationDeps['config'] & TemplateDeps['config'];
  products?: SimulationDeps['products'];
  /** Named API keys and the deliveries view (adminIntegrations.ts). */
  integrations?: IntegrationAdminDeps;
  /** Saved segments, and the customers they are evaluated over (docs/segments.md). */
  segments: SegmentDefinitions;
  audience: Audience;
  /** Broadcasts to segments (docs/broadcasts.md). */
  broadcasts: BroadcastStore;
}

export function bearer(value: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(value ?? '');
  return match?.[1];
}

/** Who a bearer key is: the admin key a publisher, an editor key an editor; undefined when missing or wrong. */
export async function bearerPrincipal(
  request: HttpRequest,
  deps: Pick<AdminApiDeps, 'adminKeys' | 'editorKeys'>,
): Promise<Principal | undefined> {
  const presented = bearer(header(request, 'authorization'));
  if (!presented) return undefined;
  if (apiKeyMatches(presented, await deps.adminKeys())) return { actor: 'admin-key', role: 'publisher' };
  if (deps.editorKeys && apiKeyMatches(presented, await deps.editorKeys())) return { actor: 'editor-key', role: 'editor' };
  return undefined;
}

/** 403 naming the role the caller lacks, or undefined when it has it. */
export function refuseUnless(principal: Principal, needs: Role): HttpResponse | undefined {
  return allows(principal.role, needs) ? undefined : problem(403, 'role', lacksRole(principal, needs));
}

/** Counts per outcome and reason: the shape marketers read ("48 capped, 2 sent"). */
export function summarize(entries: DeliveryLogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of entries) {
    const key = e.reason ? `${e.outcome}:${e.reason}` : e.outcome;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * Admin API (`Authorization: Bearer <admin key>`):
 *   GET  /admin/api/customers?email=                 the customers with exactly this address (audited; no listing)
 *   GET  /admin/api/customers/{customerId}/jobs      a customer's journeys and delivery log with reasons
 *   GET  /admin/api/customers/{customerId}/export    everything stored about a customer (audited)
 *   POST /admin/api/customers/{customerId}/erase     erase a customer's personal data (audited)
 *   GET  /admin/api/campaigns/{campaignId}/log?day=  one campaign's outcomes on one UTC day, with counts
 *   GET  /admin/api/audit?day=                       who exported or erased whose data, and how
 *   POST /admin/api/campaigns/{campaignId}/simulate  what the campaign would do now, sending disabled
 *                                                     (body: optional {"events": [...]} to replay)
 *   /admin/api/templates…                            versions, publish, rollback, preview, test send (templateApiHandler)
 *   GET  /admin/api/reports?campaign=&since=&until=  campaign results: counts, rates, lift (docs/results.md)
 */
/** ?day=YYYY-MM-DD, default today (UTC); undefined when it is not a date. */
function dayOf(request: HttpRequest, deps: AdminApiDeps): string | undefined {
  const day = request.queryStringParameters?.['day'] ?? deps.clock.now().toISOString().slice(0, 10);
  return isDate(day) ? day : undefined;
}
const badDay = (): HttpResponse => problem(400, 'day', 'must be a date such as 2026-11-22');

export type ActingAdminDeps = AdminApiDeps & { principal: Principal };
type AdminRoute = {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  /** The least role that may call it. */
  role: Role;
  handle: (request: HttpRequest, params: Record<string, string>, deps: ActingAdminDeps) => Promise<HttpResponse>;
};

/**
 * Matched here, from the raw path, not by API Gateway: on AWS one `/admin/{proxy+}` route carries
 * the API and the console, and locally the server routes the same way.
 */
export const ADMIN_API_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/admin/api/customers',
    role: 'viewer',
    handle: async (request, _, deps) => {
      const email = request.queryStringParameters?.['email']?.trim() ?? '';
      if (!/^[^@\s]+@[^@\s]+$/.test(email))
        return problem(400, 'email', 'must be one exact email address (there is no listing of customers)');
      const tokenKey = deps.tokenKey;
      const found = await findCustomersByEmail(
        email,
        { actor: deps.principal.actor, via: 'admin_api' },
        { customers: deps.customers, clock: deps.clock, addressHash: async (a) => addressHash(a, await tokenKey()) },
      );
      return json(200, { customers: found.map((customerId) => ({ customerId })) });
    },
  },
  {
    method: 'GET',
    path: '/admin/api/customers/{customerId}/jobs',
    role: 'viewer',
    handle: async (_, { customerId }, { customers }) => {
      const [jobs, log] = await Promise.all([customers.listJobs(customerId!), customers.listLog(customerId!)]);
      return json(200, { customerId, jobs, log, counts: summarize(log) });
    },
  },
  // A customer's data leaves the system, or goes: publishers only.
  {
    method: 'GET',
    path: '/admin/api/customers/{customerId}/export',
    role: 'publisher',
    handle: async (_, { customerId }, deps) => json(200, await exportCustomerData(customerId!, 'admin_api', deps)),
  },
  {
    method: 'POST',
    path: '/admin/api/customers/{customerId}/erase',
    role: 'publisher',
    handle: async (_, { customerId }, deps) => json(200, { customerId, removed: await eraseCustomer(customerId!, 'admin_api', deps) }),
  },
  {
    method: 'GET',
    path: '/admin/api/campaigns/{campaignId}/log',
    role: 'viewer',
    handle: async (request, { campaignId }, deps) => {
      const day = dayOf(request, deps);
      if (!day) return badDay();
      const outcome = request.queryStringParameters?.['outcome'];
      const entries = (await deps.jobs.campaignLog(campaignId!, day)).filter((e) => !outcome || e.outcome === outcome);
      return json(200, { campaignId, day, counts: summarize(entries), entries });
    },
  },
  {
    method: 'POST',
    path: '/admin/api/campaigns/{campaignId}/simulate',
    role: 'editor',
    handle: (request, { campaignId }, deps) => simulate(campaignId!, request, deps),
  },
  {
    method: 'GET',
    path: '/admin/api/audit',
    role: 'viewer',
    handle: async (request, _, deps) => {
      const day = dayOf(request, deps);
      return day ? json(200, { day, entries: await deps.customers.auditTrail(day) }) : badDay();
    },
  },
  { method: 'GET', path: '/admin/api/reports', role: 'viewer', handle: (request, _, deps) => report(request, deps) },
  { method: 'GET', path: '/admin/api/templates', role: 'viewer', handle: (request, _, deps) => handleTemplateApi(request, deps) },
  { method: 'GET', path: '/admin/api/templates/{name}', role: 'viewer', handle: (request, _, deps) => handleTemplateApi(request, deps) },
  ...Object.entries(TEMPLATE_ACTIONS).map(([action, { run, role }]): AdminRoute => ({
    method: 'POST',
    path: `/admin/api/templates/{name}/${action}`,
    role,
    handle: (request, _, deps) => handleTemplateApi(request, deps, run),
  })),
  // Shop keys and deliveries: anyone reads; creating or revoking a shop's key is a publisher's.
  ...INTEGRATION_ADMIN_ROUTES.map((r): AdminRoute => ({ ...r, role: r.method === 'GET' ? 'viewer' : 'publisher' })),
  ...AUTHORING_ROUTES,
  ...SEGMENT_ROUTES,
  ...BROADCAST_ROUTES,
];

export function makeAdminApiHandler(deps: AdminApiDeps): HttpHandler {
  return async (request) => {
    const principal = await bearerPrincipal(request, deps);
    if (!principal) {
      const message = 'missing or not a valid admin or editor key (Authorization: Bearer <key>)';
      return problem(401, 'authorization', message, { 'www-authenticate': 'Bearer' });
    }
    const method = request.requestContext.http.method;
    const { route, params, pathMatched } = findRoute(ADMIN_API_ROUTES, method, request.rawPath);
    if (!route)
      return pathMatched ? problem(405, '(method)', `${method} is not allowed here`) : problem(404, '(path)', 'unknown admin resource');
    // The use cases' typed errors are answered here, for every route, by the one mapping (errorAnswers.ts).
    return (
      refuseUnless(principal, route.role) ??
      answering(() => route.handle({ ...request, pathParameters: params }, params, { ...deps, principal }))
    );
  };
}

/** One entry for everything under /admin, on AWS and locally alike: the API under /admin/api/, else the console. */
export function routeAdmin(api: HttpHandler, adminConsole: HttpHandler): HttpHandler {
  return (request) =>
    request.rawPath === '/admin/api' || request.rawPath.startsWith('/admin/api/') ? api(request) : adminConsole(request);
}
