import { BroadcastStore } from '../adapters/dynamo/broadcastStore';
import { systemClock } from '../adapters/clock';
import { CatalogCache } from '../adapters/dynamo/catalogCache';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { CustomerStore } from '../adapters/dynamo/customerStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { StatsStore } from '../adapters/dynamo/statsStore';
import { JobStore } from '../adapters/dynamo/jobStore';
import { makeFeedbackHandler } from '../handlers/feedbackHandler';
import { withMetrics } from '../shared/metrics';
import { configFromEnv } from '../shared/config';
import { addressHash } from '../domain/consent/addressHash';
import { tokenSigningKey } from './secrets';

const { customersTable, catalogTable, policyVersion } = configFromEnv(process.env, ['catalogTable']);
const doc = createDocumentClient();

export const handler = withMetrics(
  makeFeedbackHandler({
    customers: new CustomerStore(doc, customersTable),
    catalog: new CatalogCache(new CatalogStore(doc, catalogTable), { broadcasts: new BroadcastStore(doc, catalogTable, customersTable) }),
    clock: systemClock,
    stats: new StatsStore(doc, customersTable),
    jobs: new JobStore(doc, customersTable),
    policyVersion,
    addressHash: async (address) => addressHash(address, await tokenSigningKey()),
  }),
);
