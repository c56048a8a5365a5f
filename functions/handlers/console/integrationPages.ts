import type { ApiKeyInfo } from '../../adapters/dynamo/apiKeyStore';
import type { DeliveryRecord, DeliveryStatus } from '../../adapters/dynamo/deliveryStore';
import { isoNow } from '../../adapters/clock';
import { createKey, integrationsOverview, revokeKey, type IntegrationAdminDeps } from '../integrations/adminIntegrations';
import type { HttpResponse } from '../http';
import { exportCustomerData } from '../../usecases/preferences';
import type { Customers as CustomerPort } from '../../usecases/ports/customers';
import { csrfField, html, page, seeOther, timeFor, type Html, type PageContext } from './html';
import { refusalOf } from '../errorAnswers';

/**
 * The console's Integrations page: per source the URL to paste, whether its secret is set and the last
 * deliveries (received, mapped to what, ignored or refused and why) — no personal data, as stored —
 * and the named API keys, created (shown once) and revoked here.
 */

const OUTCOME: Record<DeliveryStatus, string> = {
  accepted: 'Accepted',
  'partly-refused': 'Partly refused',
  refused: 'Refused',
  ignored: 'Ignored',
  duplicate: 'Repeat, no effect',
};

const counts = (record: Record<string, number>): string =>
  Object.entries(record)
    .map(([what, n]) => `${n} × ${what}`)
    .join(', ');

const outcomeOf = (status: DeliveryStatus): Html | string =>
  status === 'refused' || status === 'partly-refused' ? html`<span class="error">${OUTCOME[status]}</span>` : (OUTCOME[status] ?? status);

const secretOf = (secret: string): Html | string => {
  if (secret === 'not set') return html`<span class="error">not set</span>`;
  return secret === 'development default' ? html`<span class="warning">the development default</span>` : secret;
};

function deliveryRows(ctx: PageContext, deliveries: (DeliveryRecord & { rejectedCount: number })[], withSource: boolean): Html {
  if (deliveries.length === 0) return html`<p class="muted">No deliveries in the last 7 days.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Received</th>
        ${withSource ? html`<th scope="col">Source</th>` : ''}
        <th scope="col">Sent by</th>
        <th scope="col">Topic</th>
        <th scope="col">Outcome</th>
        <th scope="col">Mapped to</th>
        <th scope="col">Ignored, refused and why</th>
      </tr>
    </thead>
    <tbody>
      ${deliveries.map(
        (d) =>
          html`<tr>
            <td>${timeFor(ctx, d.receivedAt)}</td>
            ${withSource ? html`<td>${d.source}</td>` : ''}
            <td>${d.sender}</td>
            <td>${d.topic ?? ''}</td>
            <td>${outcomeOf(d.status)}</td>
            <td>${counts(d.mapped) || html`<span class="muted">nothing</span>`}${d.actions ? html`<br />${counts(d.actions)}` : ''}</td>
            <td>
              ${counts(d.ignored)}${
                d.rejected.length
                  ? html`<ul>
                      ${d.rejected.map((r) => html`<li>${r.ref}: ${r.errors.map((e) => `${e.path} ${e.message}`).join('; ')}</li>`)}
                    </ul>`
                  : ''
              }${
                d.rejectedCount > d.rejected.length
                  ? html`<p class="muted">and ${d.rejectedCount - d.rejected.length} more refused</p>`
                  : ''
              }
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function keysCard(ctx: PageContext, keys: ApiKeyInfo[], created?: { name: string; key: string }, error?: string): Html {
  return html`<section class="card" aria-labelledby="keys-heading">
    <h2 id="keys-heading">API keys</h2>
    <p>
      Give each of your systems its own key: every event it sends, accepted or refused, is attributed to the key’s name. Keys are stored
      hashed and shown only once. The key set up with the deployment keeps working as <b>default</b>.
    </p>
    ${
      created
        ? html`<div class="notice" role="status">
            <p>Key <b>${created.name}</b> created. Copy it now: it will not be shown again.</p>
            <p>
              <label>Key ${created.name}<input readonly value="${created.key}" size="60" /></label>
            </p>
          </div>`
        : ''
    }
    ${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
    ${
      keys.length === 0
        ? html`<p class="muted">No named keys yet.</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Starts with</th>
                <th scope="col">Created</th>
                <th scope="col"><span class="muted">Action</span></th>
              </tr>
            </thead>
            <tbody>
              ${keys.map(
                (k) =>
                  html`<tr>
                    <td>${k.name}</td>
                    <td><code>${k.hint}…</code></td>
                    <td>${timeFor(ctx, k.createdAt)}</td>
                    <td>
                      <form method="post" action="/admin/integrations/keys/${encodeURIComponent(k.name)}/revoke">
                        ${csrfField(ctx.csrf)}<button type="submit" class="secondary" aria-label="Revoke key ${k.name}">Revoke</button>
                      </form>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <form method="post" action="/admin/integrations/keys">
      ${csrfField(ctx.csrf)}<label
        >Name of the new key<input name="name" required pattern="[a-z0-9][a-z0-9._\\-]{0,47}" aria-describedby="key-name-help" /></label
      ><button type="submit">Create key</button>
      <p id="key-name-help" class="muted">Lowercase letters, digits, dots, dashes and underscores, such as erp or shop-frontend.</p>
    </form>
  </section>`;
}

type Customers = CustomerPort;

/** Shopify's customers/data_request of the last 7 days, from the audit log: each export a click away. */
async function dataRequests(customers: Customers, now: string): Promise<{ customerId: string; at: string; via: string }[]> {
  const days = Array.from({ length: 7 }, (_, d) => new Date(Date.parse(now) - d * 86_400_000).toISOString().slice(0, 10));
  const trails = await Promise.all(days.map((day) => customers.auditTrail(day)));
  return trails
    .flat()
    .filter((e) => e['action'] === 'data_request')
    .map((e) => ({ customerId: String(e['customerId']), at: String(e['at']), via: String(e['via']) }));
}

const DATA_REQUESTS_HELP =
  'Customers who asked the shop for their data (Shopify’s customers/data_request). ' +
  'Send them the export; each download is recorded in the audit log.';

function dataRequestsCard(ctx: PageContext, requests: { customerId: string; at: string; via: string }[]): Html {
  return html`<section class="card" aria-labelledby="requests-heading">
    <h2 id="requests-heading">Data requests</h2>
    <p>${DATA_REQUESTS_HELP}</p>
    ${
      requests.length === 0
        ? html`<p class="muted">No data requests in the last 7 days.</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">Requested</th>
                <th scope="col">Customer id</th>
                <th scope="col">From</th>
                <th scope="col">Export</th>
              </tr>
            </thead>
            <tbody>
              ${requests.map(
                (r) =>
                  html`<tr>
                    <td>${timeFor(ctx, r.at)}</td>
                    <td>${r.customerId}</td>
                    <td>${r.via}</td>
                    <td>
                      <a href="/admin/integrations/data-requests/${encodeURIComponent(r.customerId)}/export"
                        >Download the export of ${r.customerId}</a
                      >
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

async function overviewPage(
  ctx: PageContext,
  deps: IntegrationAdminDeps & { customers: Customers },
  extra: { created?: { name: string; key: string }; error?: string } = {},
  status = 200,
): Promise<HttpResponse> {
  const [sources, keys, requests] = await Promise.all([
    integrationsOverview(deps),
    deps.keys.list(),
    dataRequests(deps.customers, isoNow(deps.clock)),
  ]);
  return page(
    'Integrations',
    ctx,
    html`<h1>Integrations</h1>
      <p>
        Point what your shop already runs at these addresses. Set-up, step by step: docs/integrations.md.
        <a href="/admin/integrations/refused">Refused events of the last 7 days</a>
      </p>
      ${sources.map(
        (s) =>
          html`<section class="card" aria-labelledby="src-${s.source}">
            <h2 id="src-${s.source}">${s.name}</h2>
            <p>URL to paste: <code>${s.url}</code>${'also' in s && s.also ? html`<br />Also: <code>${s.also}</code>` : ''}</p>
            <p>Secret: ${secretOf(s.secret)}</p>
            <h3>Last deliveries</h3>
            ${deliveryRows(ctx, s.deliveries, false)}
          </section>`,
      )}
      ${keysCard(ctx, keys, extra.created, extra.error)} ${dataRequestsCard(ctx, requests)}`,
    status,
  );
}

/** /admin/integrations[/refused|/keys|/keys/{name}/revoke] */
export async function integrationsRoute(
  method: string,
  rest: string[],
  form: URLSearchParams,
  ctx: PageContext,
  integrations: IntegrationAdminDeps | undefined,
  actor: string,
  customers: Customers,
): Promise<HttpResponse> {
  if (!integrations)
    return page(
      'Not available',
      ctx,
      html`<h1>Not available</h1>
        <p>Integrations are not set up for this console.</p>`,
      404,
    );
  const deps = { ...integrations, customers };
  const [first, name, action] = rest;
  if (method === 'GET' && first === 'data-requests' && name && action === 'export') {
    const data = await exportCustomerData(name, 'console_data_request', { customers, clock: deps.clock });
    return {
      statusCode: 200,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-disposition': `attachment; filename="export-${name.replace(/[^A-Za-z0-9._-]/g, '_')}.json"`,
      },
      body: JSON.stringify(data, null, 2),
    };
  }
  if (method === 'GET' && !first) return overviewPage(ctx, deps);
  if (method === 'GET' && first === 'refused') {
    const deliveries = await deps.deliveries.list(isoNow(deps.clock), { days: 7, status: 'rejected', limit: 200 });
    return page(
      'Refused events',
      ctx,
      html`<h1>Refused events</h1>
        <p>
          Every delivery of the last 7 days with events that were refused, from POST /events and every integration, and why. Values are not
          kept, only where the problem is and what it is.
        </p>
        ${deliveryRows(ctx, deliveries, true)}
        <p><a href="/admin/integrations">Back to Integrations</a></p>`,
    );
  }
  if (method === 'POST' && first === 'keys' && !name) {
    try {
      return await overviewPage(ctx, deps, { created: await createKey(form.get('name') ?? '', deps, actor) });
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      const words = refusal.status === 409 ? `That name is taken: ${refusal.message}.` : `Key name ${refusal.message}.`;
      return overviewPage(ctx, deps, { error: words }, refusal.status);
    }
  }
  if (method === 'POST' && first === 'keys' && name && action === 'revoke') {
    await revokeKey(name, deps, actor);
    return seeOther('/admin/integrations?notice=key-revoked');
  }
  return page(
    'Not found',
    ctx,
    html`<h1>Not found</h1>
      <p>Nothing here.</p>`,
    404,
  );
}
