import { LIMITS } from '../../domain/events/events';
import { sortCandidates, type MappingOptions } from '../../domain/integrations/delivery';
import { mapSegment, SEGMENT_FIELD_NAMES } from '../../domain/integrations/segment';
import { mapShopify, SHOPIFY_FIELD_NAMES } from '../../domain/integrations/shopify';
import { mapWooCommerce, WOOCOMMERCE_FIELD_NAMES, wooDeliveryKey } from '../../domain/integrations/woocommerce';
import { logger } from '../../shared/logger';
import { toErrorContext } from '../../shared/errors';
import { receiveDelivery, type DeliveryDeps, type DeliveryInput, type DeliveryOutcome } from '../../usecases/receiveDelivery';
import { header, json, problem, type HttpHandler, type HttpRequest, type HttpResponse } from '../http';
import { basicUser, hmacMatches, rawBody, senderOf, type KeyDirectory } from './signatures';

/**
 * The platforms' doors: Shopify and WooCommerce webhooks, Segment's Webhooks destination and a
 * Segment-compatible tracking API. Each verifies its platform's signature or key on the raw bytes
 * before parsing, maps with a pure mapper, and hands the events to the bus as POST /events does.
 */

export interface IntegrationSecrets {
  /** Shopify signs with the app's (or the store's webhook) secret, one per shop domain. */
  shopify(shopDomain: string | undefined): Promise<string | undefined>;
  woocommerce(): Promise<string | undefined>;
  segmentSharedSecret(): Promise<string | undefined>;
  segmentWriteKeys(): Promise<readonly string[]>;
}

export interface IntegrationDeps extends DeliveryDeps {
  secrets: IntegrationSecrets;
  options: MappingOptions;
  /** Named API keys, also accepted as Segment write keys. */
  keys?: KeyDirectory;
}

function tooLarge(request: HttpRequest): HttpResponse | undefined {
  const bytes = rawBody(request).length;
  return bytes > LIMITS.bodyBytes ? problem(413, '(body)', `is ${bytes} bytes; at most ${LIMITS.bodyBytes}`) : undefined;
}

function parse(body: Buffer): { value: unknown } | { response: HttpResponse } {
  try {
    return { value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { response: problem(400, '(body)', 'is not valid JSON') };
  }
}

/** 503 when the bus did not take the events: the platform retries, and event ids make that safe. */
async function deliver(
  input: DeliveryInput,
  deps: DeliveryDeps,
  answer: (outcome: DeliveryOutcome) => HttpResponse,
): Promise<HttpResponse> {
  try {
    return answer(await receiveDelivery(input, deps));
  } catch (error) {
    logger.error('delivery not stored', { source: input.source, sender: input.sender, ...toErrorContext(error) });
    return problem(503, '(service)', 'the delivery could not be stored now; send it again', { 'retry-after': '5' });
  }
}

const summary = (o: DeliveryOutcome) => ({ status: o.status, accepted: o.accepted.length, rejected: o.rejected, ignored: o.ignored });

/** POST /integrations/shopify */
export function makeShopifyHandler(deps: IntegrationDeps): HttpHandler {
  return async (request) => {
    const large = tooLarge(request);
    if (large) return large;
    const domain = header(request, 'x-shopify-shop-domain')?.trim().toLowerCase();
    const body = rawBody(request);
    // Shopify requires 401 for a wrong signature (its compliance topics are checked for it).
    if (!hmacMatches('sha256', 'base64', await deps.secrets.shopify(domain), body, header(request, 'x-shopify-hmac-sha256'))) {
      return problem(401, 'x-shopify-hmac-sha256', 'missing or not the HMAC of the body with this shop’s webhook secret');
    }
    const parsed = parse(body);
    if ('response' in parsed) return parsed.response;
    const topic = header(request, 'x-shopify-topic') ?? '';
    const fieldNames = topic.startsWith('customers/') ? { ...SHOPIFY_FIELD_NAMES, customerId: 'id' } : SHOPIFY_FIELD_NAMES;
    const mapped = sortCandidates(mapShopify(topic, parsed.value, deps.options), fieldNames);
    const webhookId = header(request, 'x-shopify-webhook-id');
    const input = {
      source: 'shopify',
      sender: `shopify:${domain ?? 'unknown'}`,
      topic,
      ...(webhookId ? { deliveryKey: webhookId.slice(0, 128) } : {}),
      mapped,
    };
    // Always 200 once verified and stored, refused items included: a retry would not fix them (the deliveries view shows them).
    return deliver(input, deps, (o) => json(200, summary(o)));
  };
}

/** POST /integrations/woocommerce */
export function makeWooCommerceHandler(deps: IntegrationDeps): HttpHandler {
  return async (request) => {
    const large = tooLarge(request);
    if (large) return large;
    const body = rawBody(request);
    const signature = header(request, 'x-wc-webhook-signature');
    // The creation ping is unsigned and form-encoded (webhook_id=<n>): it only checks the URL answers.
    if (!signature && /^webhook_id=\d+$/.test(body.toString('utf8').trim())) return json(200, { status: 'ping', accepted: 0 });
    if (!hmacMatches('sha256', 'base64', await deps.secrets.woocommerce(), body, signature)) {
      return problem(401, 'x-wc-webhook-signature', 'missing or not the HMAC of the body with the webhook’s secret');
    }
    const parsed = parse(body);
    if ('response' in parsed) return parsed.response;
    const topic = header(request, 'x-wc-webhook-topic') ?? '';
    const mapped = sortCandidates(mapWooCommerce(topic, parsed.value), WOOCOMMERCE_FIELD_NAMES);
    return deliver(
      { source: 'woocommerce', sender: 'woocommerce', topic, deliveryKey: wooDeliveryKey(topic, parsed.value), mapped },
      deps,
      (o) => json(200, summary(o)),
    );
  };
}

/** POST /integrations/segment: Segment's Webhooks (Actions) destination, one event or an array. */
export function makeSegmentWebhookHandler(deps: IntegrationDeps): HttpHandler {
  return async (request) => {
    const large = tooLarge(request);
    if (large) return large;
    const body = rawBody(request);
    if (!hmacMatches('sha1', 'hex', await deps.secrets.segmentSharedSecret(), body, header(request, 'x-signature'))) {
      return problem(401, 'x-signature', 'missing or not the hex HMAC-SHA1 of the body with the shared secret');
    }
    const parsed = parse(body);
    if ('response' in parsed) return parsed.response;
    const mapped = sortCandidates(mapSegment(parsed.value, deps.options), SEGMENT_FIELD_NAMES);
    return deliver({ source: 'segment', sender: 'segment-webhook', topic: 'webhook', mapped }, deps, (o) => json(200, summary(o)));
  };
}

const TRACKING_TYPES: Record<string, string | undefined> = {
  batch: undefined,
  track: 'track',
  identify: 'identify',
  page: 'page',
  screen: 'screen',
};

/**
 * POST /v1/batch|track|identify|page|screen: Segment's HTTP tracking API, so analytics-node and
 * RudderStack's SDKs work unchanged. HTTP Basic with the write key as user name, or `writeKey` in the body.
 */
export function makeTrackingApiHandler(deps: IntegrationDeps): HttpHandler {
  return async (request) => {
    const large = tooLarge(request);
    if (large) return large;
    const parsed = parse(rawBody(request));
    if ('response' in parsed) return parsed.response;
    const body = parsed.value;
    const bodyKey =
      typeof body === 'object' && body !== null && typeof (body as { writeKey?: unknown }).writeKey === 'string'
        ? (body as { writeKey: string }).writeKey
        : undefined;
    const sender = await senderOf(
      basicUser(header(request, 'authorization')) ?? bodyKey,
      { keys: deps.secrets.segmentWriteKeys, name: 'segment-write-key' },
      deps.keys,
    );
    if (!sender)
      return problem(
        401,
        'authorization',
        'missing or not a valid write key (HTTP Basic with the write key as user name, or writeKey in the body)',
        { 'www-authenticate': 'Basic realm="tactful"' },
      );
    const kind = request.rawPath.split('/').pop() ?? 'batch';
    if (kind === 'batch' && !Array.isArray((body as { batch?: unknown } | null)?.batch))
      return problem(400, 'batch', 'must be an array of messages');
    if (kind === 'batch' && (body as { batch: unknown[] }).batch.length > 2500)
      return problem(400, 'batch', 'must hold at most 2500 messages');
    const mapped = sortCandidates(mapSegment(body, deps.options, TRACKING_TYPES[kind]), SEGMENT_FIELD_NAMES);
    // Segment's API answers 200 {"success": true}; what was refused is in the deliveries view.
    return deliver({ source: 'segment', sender, topic: kind, mapped }, deps, (o) => json(200, { success: true, ...summary(o) }));
  };
}
