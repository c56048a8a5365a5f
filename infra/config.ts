import type { Node } from 'constructs';
import {
  parseAllowlist,
  parseBranding,
  parseCapRules,
  parseFlag,
  parseOptOutCountries,
  parseQuietHours,
  parseUnsubscribeScope,
} from '../functions/shared/config';
import { parseCartUrlTemplate, parseSegmentConsentTraits, parseShopifyConsentTopics } from '../functions/shared/integrationConfig';
import { ENV } from '../functions/shared/envNames';

/** Stage configuration, typed, from CDK context (`-c stage=prod -c sesIdentity=example.com …`). */
export interface StageConfig {
  stage: 'dev' | 'prod';
  /** The verified SES identity (a domain or address) mail is sent from. */
  sesIdentity: string;
  fromAddress: string;
  shopName: string;
  shopPostalAddress: string;
  /** The shop's look on customer pages and in emails' header (empty: none). */
  shopLogoUrl: string;
  shopBrandColor: string;
  shopSupportAddress: string;
  defaultTimeZone: string;
  /** SES account sending rate (emails/s): bounds the send function's concurrency. */
  sesMaxSendRate: number;
  /** Marketing caps per customer, COUNT/DURATION pairs ("2/PT24H,5/P7D"). */
  capRules: string;
  /** Shop quiet hours in each recipient's zone ("21:00-08:00" or "off"). */
  quietHours: string;
  /** Countries where missing consent means yes (opt-out); empty: opt-in everywhere. */
  optOutCountries: string;
  /** Countries where missing tracking consent means yes; empty: tracking only with consent, everywhere. */
  trackingOptOutCountries: string;
  unsubscribeScope: 'topic' | 'all';
  policyVersion: string;
  /** The shop's cart link for Segment carts, `{cart_id}` replaced (empty: Segment carts are refused). */
  cartUrlTemplate: string;
  /** Currency of Segment events that carry none. */
  defaultCurrency: string;
  /** Marketing topics Shopify's email consent maps to ("" = all). */
  shopifyConsentTopics: string;
  /** Segment traits mapped to consent ("" = email_opt_in for all). */
  segmentConsentTraits: string;
  /** Four eyes: a publish waits until a second publisher approves it (context requireApproval=true). */
  requireApproval: boolean;
  /** Where test sends may go (addresses and *@domain, comma-separated); empty: the From address's domain. */
  testSendAllowlist: string;
  /** Parallel scan segments (and workers) per broadcast wave (docs/broadcasts.md has the arithmetic). */
  broadcastScanSegments: number;
}

export function stageConfig(node: Node): StageConfig {
  const get = (key: string, fallback: string): string => String(node.tryGetContext(key) ?? fallback);
  const stage = get('stage', 'dev');
  if (stage !== 'dev' && stage !== 'prod') throw new Error(`context "stage" must be dev or prod, got "${stage}"`);
  const sesIdentity = get('sesIdentity', 'example.com');
  const rate = Number(get('sesMaxSendRate', '14'));
  if (!Number.isFinite(rate) || rate < 1) throw new Error('context "sesMaxSendRate" must be a number ≥ 1');
  const scanSegments = Number(get('broadcastScanSegments', '8'));
  if (!Number.isInteger(scanSegments) || scanSegments < 1 || scanSegments > 1000)
    throw new Error('context "broadcastScanSegments" must be a whole number from 1 to 1000');
  // Fail at synth, not at the first send.
  parseCapRules(get('capRules', '2/PT24H,5/P7D'));
  parseQuietHours(get('quietHours', '21:00-08:00'));
  parseCartUrlTemplate(get('cartUrlTemplate', ''));
  parseShopifyConsentTopics(get('shopifyConsentTopics', ''));
  parseSegmentConsentTraits(get('segmentConsentTraits', ''));
  const branding = {
    [ENV.shopLogoUrl]: get('shopLogoUrl', ''),
    [ENV.shopBrandColor]: get('shopBrandColor', '#0b6e4f'),
    [ENV.shopSupportAddress]: get('shopSupportAddress', ''),
  };
  parseBranding(branding);
  return {
    stage,
    sesIdentity,
    fromAddress: get('fromAddress', `shop@${sesIdentity.includes('@') ? sesIdentity.split('@')[1] : sesIdentity}`),
    shopName: get('shopName', 'Our shop'),
    shopPostalAddress: get('shopPostalAddress', ''),
    shopLogoUrl: branding.SHOP_LOGO_URL,
    shopBrandColor: branding.SHOP_BRAND_COLOR,
    shopSupportAddress: branding.SHOP_SUPPORT_ADDRESS,
    defaultTimeZone: get('defaultTimeZone', 'UTC'),
    sesMaxSendRate: rate,
    capRules: get('capRules', '2/PT24H,5/P7D'),
    quietHours: get('quietHours', '21:00-08:00'),
    optOutCountries: parseOptOutCountries(get('optOutCountries', '')).optOutCountries.join(','),
    trackingOptOutCountries: parseOptOutCountries(get('trackingOptOutCountries', ''), 'trackingOptOutCountries').optOutCountries.join(','),
    unsubscribeScope: parseUnsubscribeScope(get('unsubscribeScope', 'topic')),
    policyVersion: get('policyVersion', '2026-01'),
    cartUrlTemplate: get('cartUrlTemplate', ''),
    defaultCurrency: get('defaultCurrency', 'EUR'),
    shopifyConsentTopics: get('shopifyConsentTopics', ''),
    segmentConsentTraits: get('segmentConsentTraits', ''),
    requireApproval: parseFlag(get('requireApproval', 'false'), 'requireApproval'),
    testSendAllowlist: (parseAllowlist(get('testSendAllowlist', '')) ?? []).join(','),
    broadcastScanSegments: scanSegments,
  };
}

/** What the functions that open and work broadcast waves read: the shop's zone, the SES ceiling, the scan split. */
export function broadcastEnvironment(config: StageConfig): Record<string, string> {
  return {
    [ENV.defaultTimeZone]: config.defaultTimeZone,
    [ENV.sesMaxSendRate]: String(config.sesMaxSendRate),
    [ENV.broadcastScanSegments]: String(config.broadcastScanSegments),
  };
}

/** What every function that shows the shop (emails, customer pages, previews) reads from its environment. */
export function shopEnvironment(config: StageConfig): Record<string, string> {
  return {
    [ENV.shopName]: config.shopName,
    [ENV.shopPostalAddress]: config.shopPostalAddress,
    [ENV.shopLogoUrl]: config.shopLogoUrl,
    [ENV.shopBrandColor]: config.shopBrandColor,
    [ENV.shopSupportAddress]: config.shopSupportAddress,
    [ENV.defaultTimeZone]: config.defaultTimeZone,
  };
}
