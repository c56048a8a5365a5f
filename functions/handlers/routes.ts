/**
 * The public HTTP routes, per function: the CDK stack gives API Gateway exactly these, and the local
 * server serves exactly these (plus its /health and /dev endpoints), so local mode cannot drift from AWS.
 */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT';
  /** API Gateway syntax: `{name}`, and a final greedy `{name+}`. */
  path: string;
}

export const API_ROUTES = {
  ingest: [{ method: 'POST', path: '/events' }],
  // Platforms' webhooks and the Segment-compatible tracking API (docs/integrations.md).
  integrations: [
    { method: 'POST', path: '/integrations/shopify' },
    { method: 'POST', path: '/integrations/woocommerce' },
    { method: 'POST', path: '/integrations/segment' },
    { method: 'POST', path: '/v1/batch' },
    { method: 'POST', path: '/v1/track' },
    { method: 'POST', path: '/v1/identify' },
    { method: 'POST', path: '/v1/page' },
    { method: 'POST', path: '/v1/screen' },
  ],
  preferences: [
    { method: 'GET', path: '/u/{token}' },
    { method: 'POST', path: '/u/{token}' },
    { method: 'GET', path: '/preferences/{token}' },
    { method: 'POST', path: '/preferences/{token}' },
    { method: 'GET', path: '/preferences/{token}/export' },
    // "Why did I get this?" of one email: the same function (routeCustomerLinks).
    { method: 'GET', path: '/why/{token}' },
  ],
  // One entry for the admin API and the console: the function routes within (routeAdmin).
  admin: [
    { method: 'GET', path: '/admin' },
    { method: 'GET', path: '/admin/{proxy+}' },
    { method: 'POST', path: '/admin/{proxy+}' },
    // Saving a draft (PUT /admin/api/templates/{name}/draft).
    { method: 'PUT', path: '/admin/{proxy+}' },
  ],
} as const satisfies Record<string, readonly ApiRoute[]>;
