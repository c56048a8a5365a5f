import { CustomerStore } from '../adapters/dynamo/customerStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { JobStore } from '../adapters/dynamo/jobStore';
import { makeAdminApiHandler } from '../handlers/adminApiHandler';
import { ConfigError } from '../shared/errors';
import { secretString } from './secrets';

const table = process.env['CUSTOMERS_TABLE'];
if (!table) throw new ConfigError('CUSTOMERS_TABLE', 'is not set');
const doc = createDocumentClient();

export const handler = makeAdminApiHandler({
  customers: new CustomerStore(doc, table),
  jobs: new JobStore(doc, table),
  adminKeys: async () => [await secretString('ADMIN_KEY_SECRET_ARN')],
});
