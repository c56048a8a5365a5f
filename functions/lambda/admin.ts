import { systemClock } from '../adapters/clock';
import { CognitoSignIn } from '../adapters/auth/cognitoSignIn';
import { createSesClient, SesMailer } from '../adapters/ses/mailer';
import { withMetrics } from '../shared/metrics';
import { CatalogCache } from '../adapters/dynamo/catalogCache';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { CustomerStore } from '../adapters/dynamo/customerStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { StatsStore } from '../adapters/dynamo/statsStore';
import { JobStore } from '../adapters/dynamo/jobStore';
import { ProductStore } from '../adapters/dynamo/productStore';
import { makeAdminApiHandler, routeAdmin, type AdminApiDeps } from '../handlers/adminApiHandler';
import { makeConsoleHandler } from '../handlers/console/consoleHandler';
import { configFromEnv } from '../shared/config';
import { consoleSessionKey, secretString, tokenSigningKey } from './secrets';
import { endIfPolluted } from './pollution';
import { checkTemplateOffThread } from '../adapters/templateCheck/offThread';

const config = configFromEnv();
const doc = createDocumentClient();
const catalogStore = new CatalogStore(doc, config.catalogTable);

const deps: AdminApiDeps = {
  customers: new CustomerStore(doc, config.customersTable),
  jobs: new JobStore(doc, config.customersTable),
  stats: new StatsStore(doc, config.customersTable),
  products: new ProductStore(doc, config.customersTable),
  catalog: new CatalogCache(catalogStore),
  catalogStore,
  // Test sends only: marked [Test], tagged test=true.
  mailer: new SesMailer(createSesClient(), { configurationSetName: config.sesConfigurationSet }),
  clock: systemClock,
  // A publish compiles and renders the samples on a worker thread with a time limit.
  checkTemplate: checkTemplateOffThread,
  policyVersion: config.policyVersion,
  tokenKey: tokenSigningKey,
  adminKeys: async () => [await secretString('ADMIN_KEY_SECRET_ARN')],
  config,
};

const api = makeAdminApiHandler(deps);
const userPoolId = process.env['COGNITO_USER_POOL_ID'];
const adminConsole = makeConsoleHandler({
  ...deps,
  secureCookies: config.publicBaseUrl.startsWith('https://'),
  sessionKey: consoleSessionKey,
  // No repository and no mjml here: the console works on published versions.
  ...(userPoolId
    ? { identityProvider: new CognitoSignIn({ userPoolId, clientId: process.env['COGNITO_CLIENT_ID'] ?? '', domain: process.env['COGNITO_DOMAIN'] ?? '' }) }
    : {}),
});

export const handler = endIfPolluted(withMetrics(routeAdmin(api, adminConsole)));
