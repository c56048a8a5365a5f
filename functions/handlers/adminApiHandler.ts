import type { CustomerStore } from '../adapters/dynamo/customerStore';
import type { JobStore } from '../adapters/dynamo/jobStore';
import type { DeliveryLogEntry } from '../adapters/dynamo/deliveryLog';
import { apiKeyMatches } from './apiKeys';
import { header, json, problem, type HttpHandler } from './http';

export interface AdminApiDeps {
  customers: CustomerStore;
  jobs: JobStore;
  adminKeys: () => Promise<readonly string[]>;
}

function bearer(value: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(value ?? '');
  return match?.[1];
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
 * Read-only admin API (`Authorization: Bearer <admin key>`):
 *   GET /admin/api/customers/{customerId}/jobs      a customer's journeys and delivery log with reasons
 *   GET /admin/api/campaigns/{campaignId}/log?day=  one campaign's outcomes on one UTC day, with counts
 */
export function makeAdminApiHandler({ customers, jobs, adminKeys }: AdminApiDeps): HttpHandler {
  return async (request) => {
    if (!apiKeyMatches(bearer(header(request, 'authorization')), await adminKeys())) {
      return problem(401, 'authorization', 'missing or not a valid admin key (Authorization: Bearer <key>)', { 'www-authenticate': 'Bearer' });
    }
    const params = request.pathParameters ?? {};
    if (params['customerId'] !== undefined) {
      const [jobList, log] = await Promise.all([customers.listJobs(params['customerId']), customers.listLog(params['customerId'])]);
      return json(200, { customerId: params['customerId'], jobs: jobList, log, counts: summarize(log) });
    }
    const campaignId = params['campaignId'];
    if (campaignId === undefined) return problem(404, '(path)', 'unknown admin resource');
    const day = request.queryStringParameters?.['day'] ?? new Date().toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) return problem(400, 'day', 'must be a date such as 2026-11-22');
    const outcome = request.queryStringParameters?.['outcome'];
    const entries = (await jobs.campaignLog(campaignId, day)).filter((e) => !outcome || e.outcome === outcome);
    return json(200, { campaignId, day, counts: summarize(entries), entries });
  };
}
