import { createHmac, randomUUID } from 'node:crypto';
import type { TestSystem } from './harness';

/** Platform deliveries as the platforms send them: signed over the exact bytes, with their headers. */

export async function post(
  app: TestSystem,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${app.url}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed };
}

export const sign = (algorithm: 'sha256' | 'sha1', secret: string, body: string, encoding: 'base64' | 'hex'): string =>
  createHmac(algorithm, secret).update(body).digest(encoding);

export function shopify(
  app: TestSystem,
  topic: string,
  payload: unknown,
  {
    webhookId = randomUUID(),
    secret = app.system.integrationEnv.SHOPIFY_WEBHOOK_SECRET,
    hmac,
  }: { webhookId?: string; secret?: string; hmac?: string | null } = {},
) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-shopify-topic': topic,
    'x-shopify-shop-domain': 'demo-shop.myshopify.com',
    'x-shopify-webhook-id': webhookId,
    'x-shopify-api-version': '2025-10',
    'x-shopify-triggered-at': new Date().toISOString(),
  };
  if (hmac !== null) headers['x-shopify-hmac-sha256'] = hmac ?? sign('sha256', secret, body, 'base64');
  return post(app, '/integrations/shopify', body, headers);
}

export function woo(
  app: TestSystem,
  topic: string,
  payload: unknown,
  {
    secret = app.system.integrationEnv.WOOCOMMERCE_WEBHOOK_SECRET,
    signature,
    deliveryId = '1',
  }: { secret?: string; signature?: string | null; deliveryId?: string } = {},
) {
  const body = JSON.stringify(payload);
  const [resource, event] = topic.split('.');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-wc-webhook-source': 'https://woo.example.com/',
    'x-wc-webhook-topic': topic,
    'x-wc-webhook-resource': resource ?? '',
    'x-wc-webhook-event': event ?? '',
    'x-wc-webhook-id': '7',
    'x-wc-webhook-delivery-id': deliveryId,
  };
  if (signature !== null) headers['x-wc-webhook-signature'] = signature ?? sign('sha256', secret, body, 'base64');
  return post(app, '/integrations/woocommerce', body, headers);
}

/** A Shopify customer as in the Admin API's published sample, with fields tactful must drop at the door. */
export function shopifyCustomer(id: number, email: string, at: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    email,
    created_at: at,
    updated_at: at,
    first_name: 'Bob',
    last_name: 'Norman',
    orders_count: 0,
    state: 'disabled',
    total_spent: '0.00',
    last_order_id: null,
    note: 'Likes tea; call after 5pm',
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    tags: 'vip',
    currency: 'EUR',
    phone: '+16136120707',
    addresses: [{ id: 1, address1: 'Chestnut Street 92', city: 'Louisville', country_code: 'US', phone: '555-625-1199' }],
    default_address: {
      id: 1,
      customer_id: id,
      first_name: 'Bob',
      last_name: 'Norman',
      address1: 'Chestnut Street 92',
      city: 'Louisville',
      zip: '40202',
      phone: '555-625-1199',
      country: 'United States',
      country_code: 'US',
      default: true,
    },
    email_marketing_consent: { state: 'not_subscribed', opt_in_level: 'single_opt_in', consent_updated_at: null },
    admin_graphql_api_id: `gid://shopify/Customer/${id}`,
    ...extra,
  };
}

/** A Shopify checkout (abandoned checkout) as in the published sample. */
export function shopifyCheckout(token: string, customerId: number, email: string, at: string, extra: Record<string, unknown> = {}) {
  return {
    id: 981820079255243500,
    token,
    cart_token: 'eeafa272cebfd4b22385bc4b645e762c',
    email,
    gateway: null,
    buyer_accepts_marketing: false,
    created_at: at,
    updated_at: at,
    landing_site: null,
    note: null,
    note_attributes: [],
    referring_site: null,
    shipping_lines: [],
    taxes_included: false,
    total_weight: 0,
    currency: 'EUR',
    presentment_currency: 'EUR',
    completed_at: null,
    name: '#981820079255243537',
    abandoned_checkout_url: `https://demo-shop.myshopify.com/checkouts/${token}/recover?key=abc123`,
    source_name: 'web',
    phone: '+15555555555',
    line_items: [
      {
        applied_discounts: [],
        discount_allocations: [],
        key: 'k1',
        destination_location_id: 1,
        fulfillment_service: 'manual',
        gift_card: false,
        grams: 200,
        origin_location_id: 1,
        presentment_title: 'IPod Nano - 8GB',
        presentment_variant_title: 'Pink',
        product_id: 632910392,
        properties: null,
        quantity: 1,
        requires_shipping: true,
        sku: 'IPOD2008PINK',
        tax_lines: [],
        taxable: true,
        title: 'IPod Nano - 8GB',
        variant_id: 808950810,
        variant_title: 'Pink',
        variant_price: '199.00',
        vendor: 'Apple',
        unit_price_measurement: null,
        compare_at_price: null,
        line_price: '199.00',
        price: '199.00',
      },
      {
        key: 'k2',
        product_id: 632910393,
        quantity: 2,
        sku: 'CASE-1',
        title: 'Silicone case',
        variant_id: 808950811,
        price: '9.50',
        vendor: 'Acme',
      },
    ],
    subtotal_price: '218.00',
    total_tax: '0.00',
    total_price: '218.00',
    customer: { id: customerId, email, first_name: 'Bob', last_name: 'Norman', phone: '+16136120707', tags: '', currency: 'EUR' },
    billing_address: {
      first_name: 'Bob',
      address1: 'Chestnut Street 92',
      phone: '+1(502)-459-2181',
      city: 'Louisville',
      country_code: 'US',
    },
    shipping_address: {
      first_name: 'Bob',
      address1: 'Chestnut Street 92',
      phone: '+1(502)-459-2181',
      city: 'Louisville',
      country_code: 'US',
    },
    ...extra,
  };
}

/** A Shopify order as in the published sample. */
export function shopifyOrder(id: number, checkoutToken: string, customerId: number, email: string, at: string) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    browser_ip: '0.0.0.0',
    checkout_token: checkoutToken,
    confirmed: true,
    contact_email: email,
    created_at: at,
    processed_at: at,
    currency: 'EUR',
    presentment_currency: 'EUR',
    email,
    financial_status: 'paid',
    name: '#9999',
    order_number: 1234,
    phone: null,
    total_price: '218.00',
    subtotal_price: '218.00',
    customer: { id: customerId, email, first_name: 'Bob', last_name: 'Norman', phone: '+16136120707' },
    billing_address: { first_name: 'Bob', address1: 'Chestnut Street 92', city: 'Louisville', country_code: 'US' },
    line_items: [
      {
        id: 866550311766439000,
        product_id: 632910392,
        quantity: 1,
        sku: 'IPOD2008PINK',
        title: 'IPod Nano - 8GB',
        variant_id: 808950810,
        price: '199.00',
        name: 'IPod Nano - 8GB - Pink',
      },
    ],
  };
}

export function shopifyConsent(customerId: number, email: string, state: string, at: string) {
  return {
    customer_id: customerId,
    email_address: email,
    email_marketing_consent: { state, opt_in_level: 'confirmed_opt_in', consent_updated_at: at },
  };
}
