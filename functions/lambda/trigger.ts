import { BroadcastStore } from '../adapters/dynamo/broadcastStore';
import { systemClock } from '../adapters/clock';
import { withMetrics } from '../shared/metrics';
import { CatalogCache } from '../adapters/dynamo/catalogCache';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { CustomerStore } from '../adapters/dynamo/customerStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { StatsStore } from '../adapters/dynamo/statsStore';
import { ProductStore } from '../adapters/dynamo/productStore';
import { makeTriggerHandler } from '../handlers/triggerHandler';
import { configFromEnv } from '../shared/config';
import { addressHash } from '../domain/consent/addressHash';
import { tokenSigningKey } from './secrets';
import { segmentMembership } from './segmentWiring';

// The stack gives the trigger function no From address or link base: it sends nothing.
const config = configFromEnv(process.env, ['catalogTable']);
const doc = createDocumentClient();

export const handler = withMetrics(
  makeTriggerHandler({
    customers: new CustomerStore(doc, config.customersTable),
    products: new ProductStore(doc, config.customersTable),
    catalog: new CatalogCache(new CatalogStore(doc, config.catalogTable), {
      broadcasts: new BroadcastStore(doc, config.catalogTable, config.customersTable),
    }),
    clock: systemClock,
    stats: new StatsStore(doc, config.customersTable),
    segments: segmentMembership(doc, config),
    addressHash: async (address) => addressHash(address, await tokenSigningKey()),
  }),
);
