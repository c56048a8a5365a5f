import { systemClock } from '../adapters/clock';
import { withMetrics } from '../shared/metrics';
import { CatalogCache } from '../adapters/dynamo/catalogCache';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { CustomerStore } from '../adapters/dynamo/customerStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { StatsStore } from '../adapters/dynamo/statsStore';
import { makePreferenceHandler } from '../handlers/preferences/preferenceHandler';
import { configFromEnv } from '../shared/config';
import { tokenSigningKey } from './secrets';

const config = configFromEnv();
const doc = createDocumentClient();

export const handler = withMetrics(makePreferenceHandler({
  customers: new CustomerStore(doc, config.customersTable),
  catalog: new CatalogCache(new CatalogStore(doc, config.catalogTable)),
  clock: systemClock,
  stats: new StatsStore(doc, config.customersTable),
  policyVersion: config.policyVersion,
  tokenKey: tokenSigningKey,
  unsubscribeScope: config.unsubscribeScope,
}));
