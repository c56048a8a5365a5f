import { MARKETING_TOPICS, type MarketingTopic } from '../domain/events/topics';
import type { MappingOptions } from '../domain/integrations/delivery';
import { ENV } from './envNames';
import { ConfigError } from './errors';

/** How platforms' fields map where a platform has no standard (docs/integrations.md#configuration). */

function topicsOf(name: string, raw: string): MarketingTopic[] {
  if (raw.trim() === '*' || raw.trim() === 'all') return [...MARKETING_TOPICS];
  const topics = raw
    .split('|')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of topics)
    if (!(MARKETING_TOPICS as readonly string[]).includes(t))
      throw new ConfigError(name, `"${t}" is not a marketing topic (${MARKETING_TOPICS.join(', ')})`);
  return topics as MarketingTopic[];
}

/** SHOPIFY_CONSENT_TOPICS="cart_reminders|newsletter" (default: every marketing topic). */
export function parseShopifyConsentTopics(raw: string | undefined): MarketingTopic[] {
  return raw === undefined || raw.trim() === '' ? [...MARKETING_TOPICS] : topicsOf(ENV.shopifyConsentTopics, raw);
}

/** SEGMENT_CONSENT_TRAITS="email_opt_in=*,loyalty_opt_in=loyalty" (default: email_opt_in for every marketing topic). */
export function parseSegmentConsentTraits(raw: string | undefined): Record<string, MarketingTopic[]> {
  if (raw === undefined || raw.trim() === '') return { email_opt_in: [...MARKETING_TOPICS] };
  const out: Record<string, MarketingTopic[]> = {};
  for (const part of raw.split(',')) {
    const [trait, topics] = part.split('=');
    if (!trait?.trim() || topics === undefined)
      throw new ConfigError(ENV.segmentConsentTraits, `"${part}" is not TRAIT=TOPIC|TOPIC or TRAIT=*`);
    out[trait.trim()] = topicsOf(ENV.segmentConsentTraits, topics);
  }
  return out;
}

export function parseCartUrlTemplate(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^https?:\/\//.test(raw) || !raw.includes('{cart_id}'))
    throw new ConfigError(ENV.cartUrlTemplate, 'must be an http(s) URL with {cart_id}, such as https://shop.example.com/cart?id={cart_id}');
  return raw.trim();
}

export function mappingOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): MappingOptions {
  const currency = (env[ENV.defaultCurrency] ?? 'EUR').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new ConfigError(ENV.defaultCurrency, 'must be an ISO 4217 code such as EUR');
  const cartUrlTemplate = parseCartUrlTemplate(env[ENV.cartUrlTemplate]);
  return {
    shopifyConsentTopics: parseShopifyConsentTopics(env[ENV.shopifyConsentTopics]),
    segmentConsentTraits: parseSegmentConsentTraits(env[ENV.segmentConsentTraits]),
    ...(cartUrlTemplate ? { cartUrlTemplate } : {}),
    defaultCurrency: currency,
    policyVersion: env[ENV.policyVersion] ?? '2026-01',
  };
}
