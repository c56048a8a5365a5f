import { BroadcastStore } from '../adapters/dynamo/broadcastStore';
import { withMetrics } from '../shared/metrics';
import { systemClock } from '../adapters/clock';
import { CatalogCache } from '../adapters/dynamo/catalogCache';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { JobStore } from '../adapters/dynamo/jobStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { StatsStore } from '../adapters/dynamo/statsStore';
import { ProductStore } from '../adapters/dynamo/productStore';
import { createSesClient, SesMailer } from '../adapters/ses/mailer';
import { makeSendHandler } from '../handlers/sendHandler';
import { configFromEnv } from '../shared/config';
import { tokenSigningKey } from './secrets';
import { segmentMembership } from './segmentWiring';

const config = configFromEnv();
const doc = createDocumentClient();

export const handler = withMetrics(
  makeSendHandler({
    jobs: new JobStore(doc, config.customersTable),
    products: new ProductStore(doc, config.customersTable),
    catalog: new CatalogCache(new CatalogStore(doc, config.catalogTable), {
      broadcasts: new BroadcastStore(doc, config.catalogTable, config.customersTable),
    }),
    mailer: new SesMailer(createSesClient(), {
      configurationSetName: config.sesConfigurationSet,
      untrackedConfigurationSetName: config.sesUntrackedConfigurationSet,
    }),
    clock: systemClock,
    tokenKey: tokenSigningKey,
    stats: new StatsStore(doc, config.customersTable),
    segments: segmentMembership(doc, config),
    config,
  }),
);
