import { eraseCustomer, exportCustomerData, type PreferenceDeps } from '../usecases/preferences';
import type { JobStore } from '../adapters/dynamo/jobStore';
import type { DeliveryLogEntry } from '../adapters/dynamo/deliveryLog';
import { apiKeyMatches } from './apiKeys';
import { header, json, matchPath, parseJsonBody, problem, type HttpHandler, type HttpRequest, type HttpResponse } from './http';
import { parseEventBatch } from '../domain/events';
import { simulateCampaign, UnknownCampaignError, type SimulationDeps } from '../usecases/simulateCampaign';
import type { TemplateDeps } from '../usecases/templates';
import { handleTemplateApi } from './templateApiHandler';
import type { StatsStore } from '../adapters/dynamo/statsStore';
import { campaignReport, InvalidReportRangeError } from '../usecases/campaignReport';

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
  try {
    return json(200, await simulateCampaign(campaignId, events, deps));
  } catch (error) {
    if (error instanceof UnknownCampaignError) return problem(404, 'campaignId', error.message);
    throw error;
  }
}

async function report(request: HttpRequest, deps: AdminApiDeps): Promise<HttpResponse> {
  const q = request.queryStringParameters ?? {};
  const campaignId = q['campaign'] || undefined;
  if (campaignId !== undefined && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(campaignId)) return problem(400, 'campaign', 'must be a campaign id (lowercase letters, digits and dashes)');
  try {
    return json(200, await campaignReport({ campaignId, since: q['since'] || undefined, until: q['until'] || undefined }, deps));
  } catch (error) {
    if (error instanceof InvalidReportRangeError) return problem(400, error.field, error.message);
    throw error;
  }
}

export interface AdminApiDeps extends PreferenceDeps, Omit<TemplateDeps, 'config' | 'catalog'> {
  jobs: JobStore;
  /** Campaign results, for the report. */
  stats: StatsStore;
  adminKeys: () => Promise<readonly string[]>;
  tokenKey: () => Promise<Buffer>;
  config: SimulationDeps['config'] & TemplateDeps['config'];
  products?: SimulationDeps['products'];
}

export function bearer(value: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(value ?? '');
  return match?.[1];
}

/** The admin key from `Authorization: Bearer`, or undefined when it is missing or wrong. */
export async function hasAdminBearer(request: HttpRequest, adminKeys: () => Promise<readonly string[]>): Promise<boolean> {
  return apiKeyMatches(bearer(header(request, 'authorization')), await adminKeys());
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
export const ADMIN_API_ROUTES = [
  'GET /admin/api/customers/{customerId}/jobs',
  'GET /admin/api/customers/{customerId}/export',
  'POST /admin/api/customers/{customerId}/erase',
  'GET /admin/api/campaigns/{campaignId}/log',
  'POST /admin/api/campaigns/{campaignId}/simulate',
  'GET /admin/api/audit',
  'GET /admin/api/reports',
  'GET /admin/api/templates',
  'GET /admin/api/templates/{name}',
  'POST /admin/api/templates/{name}/versions',
  'POST /admin/api/templates/{name}/rollback',
  'POST /admin/api/templates/{name}/preview',
  'POST /admin/api/templates/{name}/test-send',
] as const;

/**
 * The routes are matched here, from the raw path, not by API Gateway: on AWS one `/admin/{proxy+}`
 * route carries the API and the console, and locally the server routes the same way.
 */
function resolveRoute(request: HttpRequest): { params: Record<string, string> } | { response: HttpResponse } {
  const method = request.requestContext.http.method;
  let pathMatched = false;
  for (const route of ADMIN_API_ROUTES) {
    const [routeMethod, pattern] = route.split(' ') as [string, string];
    const params = matchPath(pattern, request.rawPath);
    if (!params) continue;
    pathMatched = true;
    if (routeMethod === method) return { params };
  }
  return { response: pathMatched ? problem(405, '(method)', `${method} is not allowed here`) : problem(404, '(path)', 'unknown admin resource') };
}

export function makeAdminApiHandler(deps: AdminApiDeps): HttpHandler {
  const { customers, jobs, adminKeys } = deps;
  return async (incoming) => {
    if (!(await hasAdminBearer(incoming, adminKeys))) {
      return problem(401, 'authorization', 'missing or not a valid admin key (Authorization: Bearer <key>)', { 'www-authenticate': 'Bearer' });
    }
    const route = resolveRoute(incoming);
    if ('response' in route) return route.response;
    const request = { ...incoming, pathParameters: route.params };
    const params = route.params;
    const path = request.rawPath;
    if (path.startsWith('/admin/api/templates')) return handleTemplateApi(request, deps);
    const day = request.queryStringParameters?.['day'] ?? deps.clock.now().toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) return problem(400, 'day', 'must be a date such as 2026-11-22');
    const customerId = params['customerId'];
    if (customerId !== undefined && path.endsWith('/export')) return json(200, await exportCustomerData(customerId, 'admin_api', deps));
    if (customerId !== undefined && path.endsWith('/erase')) return json(200, { customerId, removed: await eraseCustomer(customerId, 'admin_api', deps) });
    if (path.endsWith('/audit')) return json(200, { day, entries: await customers.auditTrail(day) });
    if (path.endsWith('/reports')) return report(request, deps);
    if (params['campaignId'] !== undefined && path.endsWith('/simulate')) return simulate(params['campaignId'], request, deps);
    if (customerId !== undefined) {
      const [jobList, log] = await Promise.all([customers.listJobs(customerId), customers.listLog(customerId)]);
      return json(200, { customerId, jobs: jobList, log, counts: summarize(log) });
    }
    const campaignId = params['campaignId'];
    if (campaignId === undefined) return problem(404, '(path)', 'unknown admin resource');
    const outcome = request.queryStringParameters?.['outcome'];
    const entries = (await jobs.campaignLog(campaignId, day)).filter((e) => !outcome || e.outcome === outcome);
    return json(200, { campaignId, day, counts: summarize(entries), entries });
  };
}

/** One entry for everything under /admin, on AWS and locally alike: the API under /admin/api/, else the console. */
export function routeAdmin(api: HttpHandler, adminConsole: HttpHandler): HttpHandler {
  return (request) => (request.rawPath === '/admin/api' || request.rawPath.startsWith('/admin/api/') ? api(request) : adminConsole(request));
}
