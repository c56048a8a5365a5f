import { systemClock } from '../adapters/clock';
import { CatalogCache } from '../adapters/dynamo/catalogCache';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { CustomerStore } from '../adapters/dynamo/customerStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { StatsStore } from '../adapters/dynamo/statsStore';
import { JobStore } from '../adapters/dynamo/jobStore';
import { makeFeedbackHandler } from '../handlers/feedbackHandler';
import { withMetrics } from '../shared/metrics';
import { ConfigError } from '../shared/errors';
import { addressHash } from '../domain/addressHash';
import { tokenSigningKey } from './secrets';

const customersTable = process.env['CUSTOMERS_TABLE'];
const catalogTable = process.env['CATALOG_TABLE'];
if (!customersTable) throw new ConfigError('CUSTOMERS_TABLE', 'is not set');
if (!catalogTable) throw new ConfigError('CATALOG_TABLE', 'is not set');
const doc = createDocumentClient();

export const handler = withMetrics(
  makeFeedbackHandler({
    customers: new CustomerStore(doc, customersTable),
    catalog: new CatalogCache(new CatalogStore(doc, catalogTable)),
    clock: systemClock,
    stats: new StatsStore(doc, customersTable),
    jobs: new JobStore(doc, customersTable),
    policyVersion: process.env['CONSENT_POLICY_VERSION'] ?? '2026-01',
    addressHash: async (address) => addressHash(address, await tokenSigningKey()),
  }),
);
