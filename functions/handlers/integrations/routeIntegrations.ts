import type { HttpHandler } from '../http';
import {
  makeSegmentWebhookHandler,
  makeShopifyHandler,
  makeTrackingApiHandler,
  makeWooCommerceHandler,
  type IntegrationDeps,
} from './integrationHandlers';

/** One function for every integration route (API_ROUTES.integrations), routed by path as on AWS. */
export function makeIntegrationsHandler(deps: IntegrationDeps): HttpHandler {
  const shopify = makeShopifyHandler(deps);
  const woocommerce = makeWooCommerceHandler(deps);
  const segment = makeSegmentWebhookHandler(deps);
  const tracking = makeTrackingApiHandler(deps);
  return (request) => {
    const path = request.rawPath.replace(/\/+$/, '');
    if (path === '/integrations/shopify') return shopify(request);
    if (path === '/integrations/woocommerce') return woocommerce(request);
    if (path === '/integrations/segment') return segment(request);
    return tracking(request);
  };
}
