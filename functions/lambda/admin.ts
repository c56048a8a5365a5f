import { systemClock } from '../adapters/clock';
import { withMetrics } from '../shared/metrics';
import { CatalogCache } from '../adapters/dynamo/catalogCache';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { CustomerStore } from '../adapters/dynamo/customerStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { StatsStore } from '../adapters/dynamo/statsStore';
import { JobStore } from '../adapters/dynamo/jobStore';
import { ProductStore } from '../adapters/dynamo/productStore';
import { makeAdminApiHandler } from '../handlers/adminApiHandler';
import { configFromEnv } from '../shared/config';
import { secretString, tokenSigningKey } from './secrets';

const config = configFromEnv();
const doc = createDocumentClient();

export const handler = withMetrics(makeAdminApiHandler({
  customers: new CustomerStore(doc, config.customersTable),
  jobs: new JobStore(doc, config.customersTable),
  stats: new StatsStore(doc, config.customersTable),
  products: new ProductStore(doc, config.customersTable),
  catalog: new CatalogCache(new CatalogStore(doc, config.catalogTable)),
  clock: systemClock,
  policyVersion: config.policyVersion,
  tokenKey: tokenSigningKey,
  adminKeys: async () => [await secretString('ADMIN_KEY_SECRET_ARN')],
  config,
}));
