/**
 * The locales and topics of the event contract, apart from its zod schemas (events.ts), so that what
 * only needs the names (configuration, read at every cold start) does not evaluate zod.
 */

export const SUPPORTED_LOCALES = ['en', 'pl', 'ru'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

export const MARKETING_TOPICS = ['cart_reminders', 'loyalty', 'recommendations', 'newsletter'] as const;
export type MarketingTopic = (typeof MARKETING_TOPICS)[number];
