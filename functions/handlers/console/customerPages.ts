import type { HttpResponse } from '../http';
import { findCustomersByEmail, viewCustomer, type CustomerLookupDeps, type CustomerView, type Looker } from '../../usecases/customerLookup';
import { csrfField, html, page, seeOther, type PageContext } from './html';

/**
 * The Customers page: look one customer up by their exact address or id — there is deliberately no list
 * of customers to browse — and read their story in sentences. Both the lookup and the view are audited.
 */

const CUSTOMER_ID = /^[A-Za-z0-9][A-Za-z0-9._:|-]{0,127}$/;

function lookupForm(ctx: PageContext, message?: string): HttpResponse {
  return page(
    'Customers',
    ctx,
    html`<h1>Customers</h1>
      <p>
        Find one customer by their exact email address or by the shop's customer id. There is no list to browse: each look-up is written to
        the audit log, like an export.
      </p>
      ${message ? html`<p class="alert" role="alert">${message}</p>` : ''}
      <form method="post" action="/admin/customers" class="card">
        ${csrfField(ctx.csrf)}
        <label>Email address or customer id <input name="q" type="text" required autocomplete="off" spellcheck="false" /></label>
        <button type="submit">Look up</button>
      </form>`,
    message ? 400 : 200,
  );
}

function customerPage(ctx: PageContext, view: CustomerView): HttpResponse {
  const title = view.name ? `${view.name} (${view.customerId})` : view.customerId;
  return page(
    `Customer ${view.customerId}`,
    ctx,
    html`<p><a href="/admin/customers">Look up another customer</a></p>
      <h1>${title}</h1>
      <dl class="card">
        <dt>Address</dt>
        <dd>${view.maskedEmail ?? 'none known'}</dd>
        <dt>Language and zone</dt>
        <dd>${view.locale}${view.timeZone ? `, ${view.timeZone}` : ', the shop\u2019s zone'}${view.country ? `, ${view.country}` : ''}</dd>
        <dt>Personalization level</dt>
        <dd>${view.level}</dd>
      </dl>
      <h2>Consents</h2>
      ${
        view.consents.length
          ? html`<table class="stack">
              <thead>
                <tr>
                  <th scope="col">Topic</th>
                  <th scope="col">Now</th>
                  <th scope="col">Evidence</th>
                </tr>
              </thead>
              <tbody>
                ${view.consents.map(
                  (c) =>
                    html`<tr>
                      <td>${c.words}</td>
                      <td>${c.status}${c.since ? ` since ${c.since}` : ''}</td>
                      <td>${c.evidence}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="muted">No consent recorded.</p>`
      }
      <h2>Journeys under way</h2>
      ${
        view.journeys.length
          ? html`<ul>
              ${view.journeys.map((j) => html`<li>${j.campaignId}: step ${j.step}, ${j.status}, due ${j.due}</li>`)}
            </ul>`
          : html`<p class="muted">None.</p>`
      }
      <h2>Timeline</h2>
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What happened</th>
          </tr>
        </thead>
        <tbody>
          ${view.timeline.map(
            (e) =>
              html`<tr>
                <td>${e.when}</td>
                <td>${e.text}${e.code ? html` <span class="muted">(${e.code})</span>` : ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

/** /admin/customers[/{id}]: GET the form or a customer, POST a look-up. */
export async function customersRoute(
  method: string,
  rest: string[],
  form: URLSearchParams,
  ctx: PageContext,
  who: Looker,
  viewerZone: string,
  deps: CustomerLookupDeps,
): Promise<HttpResponse | undefined> {
  const [id] = rest;
  if (!id && method === 'GET') return lookupForm(ctx);
  if (!id && method === 'POST') {
    const q = (form.get('q') ?? '').trim();
    if (q.includes('@')) {
      const found = await findCustomersByEmail(q, who, deps);
      if (found.length === 1) return seeOther(`/admin/customers/${encodeURIComponent(found[0]!)}`);
      if (found.length === 0) return lookupForm(ctx, 'No customer has exactly that address.');
      return page(
        'Customers',
        ctx,
        html`<h1>Customers with that address</h1>
          <ul>
            ${found.map((c) => html`<li><a href="/admin/customers/${encodeURIComponent(c)}">${c}</a></li>`)}
          </ul>`,
      );
    }
    if (!CUSTOMER_ID.test(q)) return lookupForm(ctx, 'Type an exact email address, or a customer id of letters, digits and . _ : | -.');
    return seeOther(`/admin/customers/${encodeURIComponent(q)}`);
  }
  if (id && method === 'GET') {
    const view = CUSTOMER_ID.test(id) ? await viewCustomer(id, who, viewerZone, deps) : undefined;
    if (!view) {
      return page(
        'Not found',
        ctx,
        html`<h1>Not found</h1>
          <p>Nothing is stored for customer ${id}.</p>
          <p><a href="/admin/customers">Look up another customer</a></p>`,
        404,
      );
    }
    return customerPage(ctx, view);
  }
  return undefined;
}
