import type { LocalSystemOptions } from './systemOptions';
import { configFromEnv, type AppConfig } from '../shared/config';
import { ENV } from '../shared/envNames';

/** The same parsing as in Lambda, with local defaults under whatever the environment sets. */
export function localConfig(options: LocalSystemOptions, tables: { customers: string; catalog: string }, url: string): AppConfig {
  return {
    ...configFromEnv({
      [ENV.fromAddress]: 'Demo Shop <shop@demo.tactful.test>',
      [ENV.shopName]: options.shopName ?? 'Demo Shop',
      [ENV.shopPostalAddress]: 'ul. Przykładowa 1, 00-001 Warszawa, Poland',
      // The demo shop's look: its colour (too light for text; pages and emails darken it) and address.
      [ENV.shopBrandColor]: '#2f9e6e',
      [ENV.shopSupportAddress]: 'help@demo.tactful.test',
      [ENV.defaultTimeZone]: 'Europe/Warsaw',
      // As on AWS: emails go through the tracked or the untracked configuration set (the choice is recorded).
      [ENV.sesConfigurationSet]: 'tactful-tracked',
      [ENV.sesUntrackedConfigurationSet]: 'tactful-untracked',
      ...process.env,
      [ENV.customersTable]: tables.customers,
      [ENV.catalogTable]: tables.catalog,
      [ENV.publicBaseUrl]: url,
    }),
    ...(options.capRules ? { capRules: options.capRules } : {}),
    ...(options.quietHours ? { quietHours: options.quietHours } : {}),
    ...(options.consentModel ? { consentModel: options.consentModel } : {}),
    ...(options.trackingModel ? { trackingModel: options.trackingModel } : {}),
  };
}
