import type { ApiKeyInfo } from '../../adapters/dynamo/apiKeyStore';
import { KEY_NAME } from '../../adapters/dynamo/apiKeyStore';
import type { DeliveryRecord, DeliveryStatus } from '../../adapters/dynamo/deliveryStore';
import { isoNow, type Clock } from '../../adapters/clock';
import { logger } from '../../shared/logger';
import { json, parseJsonBody, problem, type HttpRequest, type HttpResponse } from '../http';
import { InvalidInputError } from '../../shared/errors';

/** What the admin API and the console read and change about keys and integrations. */
export interface IntegrationAdminDeps {
  keys: {
    create(name: string, now: string): Promise<{ name: string; key: string }>;
    list(): Promise<ApiKeyInfo[]>;
    revoke(name: string): Promise<boolean>;
  };
  deliveries: {
    list(
      now: string,
      filter?: { days?: number; status?: 'rejected' | DeliveryStatus; source?: string; limit?: number },
    ): Promise<(DeliveryRecord & { rejectedCount: number })[]>;
  };
  /** Per source: whether its secret is set (`set`, `development default` or `not set`). */
  secretStatus(): Promise<Record<string, string>>;
  /** Base URL the platforms are given (PUBLIC_BASE_URL, or the API's URL). */
  publicBaseUrl: string;
  clock: Clock;
}

export const INTEGRATION_SOURCES = [
  { source: 'shopify', name: 'Shopify', path: '/integrations/shopify', secret: 'shopify' },
  { source: 'woocommerce', name: 'WooCommerce', path: '/integrations/woocommerce', secret: 'woocommerce' },
  {
    source: 'segment',
    name: 'Segment and RudderStack',
    path: '/v1/batch',
    secret: 'segment-write-key',
    also: '/integrations/segment (Webhooks destination; shared secret)',
  },
  { source: 'events', name: 'tactful events API', path: '/events', secret: 'api-key' },
] as const;

const STATUSES = ['accepted', 'partly-refused', 'refused', 'ignored', 'duplicate', 'rejected'] as const;

export class KeyNameError extends InvalidInputError {
  override name = 'KeyNameError';
  constructor() {
    super('must be 1–48 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit', 'name');
  }
}

export async function createKey(name: unknown, deps: IntegrationAdminDeps, actor: string): Promise<{ name: string; key: string }> {
  if (typeof name !== 'string' || !KEY_NAME.test(name)) throw new KeyNameError();
  const created = await deps.keys.create(name, isoNow(deps.clock));
  logger.info('api key created', { name, actor });
  return created;
}

export async function revokeKey(name: string, deps: IntegrationAdminDeps, actor: string): Promise<boolean> {
  const revoked = await deps.keys.revoke(name);
  if (revoked) logger.info('api key revoked', { name, actor });
  return revoked;
}

export interface DeliveryQuery {
  status?: (typeof STATUSES)[number];
  source?: string;
  days: number;
}

export function deliveryQuery(query: Record<string, string | undefined>): DeliveryQuery | { field: string; message: string } {
  const status = query['status'] || undefined;
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status))
    return { field: 'status', message: `must be one of ${STATUSES.join(', ')}` };
  const source = query['source'] || undefined;
  if (source !== undefined && !INTEGRATION_SOURCES.some((s) => s.source === source))
    return { field: 'source', message: `must be one of ${INTEGRATION_SOURCES.map((s) => s.source).join(', ')}` };
  const days = query['days'] === undefined ? 3 : Number(query['days']);
  if (!Number.isInteger(days) || days < 1 || days > 7)
    return { field: 'days', message: 'must be a whole number of days from 1 to 7 (deliveries are kept 7 days)' };
  return { ...(status ? { status: status as DeliveryQuery['status'] } : {}), ...(source ? { source } : {}), days };
}

/** Per source: the URL to paste, whether its secret is set, and its last deliveries. */
export async function integrationsOverview(deps: IntegrationAdminDeps) {
  const [secrets, recent] = await Promise.all([deps.secretStatus(), deps.deliveries.list(isoNow(deps.clock), { days: 7, limit: 200 })]);
  return INTEGRATION_SOURCES.map((s) => ({
    source: s.source,
    name: s.name,
    url: `${deps.publicBaseUrl}${s.path}`,
    ...('also' in s ? { also: `${deps.publicBaseUrl}${s.also}` } : {}),
    secret: secrets[s.secret] ?? 'not set',
    deliveries: recent.filter((d) => d.source === s.source).slice(0, 10),
  }));
}

type Route = {
  method: 'GET' | 'POST';
  path: string;
  handle: (request: HttpRequest, params: Record<string, string>, deps: { integrations?: IntegrationAdminDeps }) => Promise<HttpResponse>;
};

const notWired = (): HttpResponse => problem(501, '(service)', 'integrations are not set up for this function');

/**
 * Admin API routes (added to ADMIN_API_ROUTES):
 *   GET  /admin/api/keys                     named API keys (name, created, hint; never the key)
 *   POST /admin/api/keys {"name"}            a new key, shown once in the answer
 *   POST /admin/api/keys/{name}/revoke       revoke a key
 *   GET  /admin/api/deliveries?status=rejected&source=&days=   what happened to deliveries, without personal data
 *   GET  /admin/api/integrations             per source: URL, secret set, last deliveries
 */
export const INTEGRATION_ADMIN_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/admin/api/keys',
    handle: async (_, __, { integrations }) => (integrations ? json(200, { keys: await integrations.keys.list() }) : notWired()),
  },
  {
    method: 'POST',
    path: '/admin/api/keys',
    handle: async (request, _, { integrations }) => {
      if (!integrations) return notWired();
      const body = parseJsonBody(request);
      if ('response' in body) return body.response;
      const created = await createKey((body.value as { name?: unknown } | undefined)?.name, integrations, 'admin-key');
      return json(201, { ...created, note: 'This is the only time the key is shown: store it now.' });
    },
  },
  {
    method: 'POST',
    path: '/admin/api/keys/{name}/revoke',
    handle: async (_, { name }, { integrations }) => {
      if (!integrations) return notWired();
      return (await revokeKey(name!, integrations, 'admin-key'))
        ? json(200, { name, revoked: true })
        : problem(404, 'name', `no key named ${name}`);
    },
  },
  {
    method: 'GET',
    path: '/admin/api/deliveries',
    handle: async (request, _, { integrations }) => {
      if (!integrations) return notWired();
      const q = deliveryQuery(request.queryStringParameters ?? {});
      if ('field' in q) return problem(400, q.field, q.message);
      return json(200, { deliveries: await integrations.deliveries.list(isoNow(integrations.clock), q) });
    },
  },
  {
    method: 'GET',
    path: '/admin/api/integrations',
    handle: async (_, __, { integrations }) =>
      integrations ? json(200, { integrations: await integrationsOverview(integrations) }) : notWired(),
  },
];
