import { SESv2Client } from '@aws-sdk/client-sesv2';
import { systemClock } from '../adapters/clock';
import { SesMailer } from '../adapters/ses/mailer';
import { withMetrics } from '../shared/metrics';
import { CatalogCache } from '../adapters/dynamo/catalogCache';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { CustomerStore } from '../adapters/dynamo/customerStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { JobStore } from '../adapters/dynamo/jobStore';
import { ProductStore } from '../adapters/dynamo/productStore';
import { makeAdminApiHandler } from '../handlers/adminApiHandler';
import { configFromEnv } from '../shared/config';
import { secretString, tokenSigningKey } from './secrets';

const config = configFromEnv();
const doc = createDocumentClient();
const catalogStore = new CatalogStore(doc, config.catalogTable);

export const handler = withMetrics(makeAdminApiHandler({
  customers: new CustomerStore(doc, config.customersTable),
  jobs: new JobStore(doc, config.customersTable),
  products: new ProductStore(doc, config.customersTable),
  catalog: new CatalogCache(catalogStore),
  catalogStore,
  // Test sends only: marked [Test], tagged test=true.
  mailer: new SesMailer(new SESv2Client({}), { configurationSetName: config.sesConfigurationSet }),
  clock: systemClock,
  policyVersion: config.policyVersion,
  tokenKey: tokenSigningKey,
  adminKeys: async () => [await secretString('ADMIN_KEY_SECRET_ARN')],
  config,
}));
