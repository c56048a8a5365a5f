import { BroadcastStore } from '../adapters/dynamo/broadcastStore';
import { systemClock } from '../adapters/clock';
import { withMetrics } from '../shared/metrics';
import { CatalogCache } from '../adapters/dynamo/catalogCache';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { CustomerStore } from '../adapters/dynamo/customerStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { StatsStore } from '../adapters/dynamo/statsStore';
import { makePreferenceHandler } from '../handlers/preferences/preferenceHandler';
import { makeWhyHandler, routeCustomerLinks } from '../handlers/preferences/whyHandler';
import { configFromEnv } from '../shared/config';
import { tokenSigningKey } from './secrets';

const config = configFromEnv();
const doc = createDocumentClient();

const customers = new CustomerStore(doc, config.customersTable);
const catalog = new CatalogCache(new CatalogStore(doc, config.catalogTable), {
  broadcasts: new BroadcastStore(doc, config.catalogTable, config.customersTable),
});
const look = { branding: config.branding, defaultTimeZone: config.defaultTimeZone };

const preferences = makePreferenceHandler({
  customers,
  catalog,
  clock: systemClock,
  stats: new StatsStore(doc, config.customersTable),
  policyVersion: config.policyVersion,
  tokenKey: tokenSigningKey,
  unsubscribeScope: config.unsubscribeScope,
  ...look,
});
const why = makeWhyHandler({ customers, catalog, clock: systemClock, tokenKey: tokenSigningKey, ...look });

export const handler = withMetrics(routeCustomerLinks(preferences, why));
