import { dirname, join } from 'node:path';
import type { Server } from 'node:http';
import { createDynamoDbClient } from '../adapters/awsClients';
import { isoNow } from '../adapters/clock';
import { persistedClock } from './persistedClock';
import { CatalogCache } from '../adapters/dynamo/catalogCache';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { CustomerStore } from '../adapters/dynamo/customerStore';
import { JobStore } from '../adapters/dynamo/jobStore';
import { ProductStore } from '../adapters/dynamo/productStore';
import { StatsStore } from '../adapters/dynamo/statsStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { createSesClient, SesMailer } from '../adapters/ses/mailer';
import { makeIngestHandler } from '../handlers/ingestHandler';
import { routeAdmin } from '../handlers/adminApiHandler';
import { addressHash } from '../domain/consent/addressHash';
import { makeLocalSesEventsHandler } from '../handlers/feedbackHandler';
import { makePreferenceHandler } from '../handlers/preferences/preferenceHandler';
import { makeWhyHandler, routeCustomerLinks } from '../handlers/preferences/whyHandler';
import { RateLimiter } from '../lib/rateLimiter';
import { json, type HttpHandler } from '../handlers/http';
import { makeSendHandler } from '../handlers/sendHandler';
import { makeSweepHandler } from '../handlers/sweepHandler';
import type { FeedbackDeps } from '../usecases/sesFeedback';
import { makeTriggerHandler } from '../handlers/triggerHandler';
import { publishAll } from '../publishing/publishAll';
import { templatesDir } from '../publishing/templateSource';
import { API_ROUTES, type ApiRoute } from '../handlers/routes';
import { logger } from '../shared/logger';
import { demoShopEvents } from './demoShop';
import { makeDevClockHandler } from './devClock';
import { createHttpServer, listen, type Route } from './httpServer';
import { InProcessEventPublisher, InProcessSendQueue } from './inProcessAdapters';
import { InProcessQueue } from './inProcessQueue';
import { invokedAs } from './invocation';
import { loadOrCreateKeyFile } from './localSecrets';
import { SentMessages } from './sentMessages';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localEndpoints } from './services';
import { ensureTables } from './tables';
import { DueWorkRunner } from './dueWork';
import { localConfig } from './localConfig';
import { localIntegrationEnv, localIntegrationSecrets, localSecretStatus } from './localIntegrations';
import type { LocalSystem, LocalSystemOptions } from './systemOptions';
import { localAdmin } from './localAdmin';
import { ApiKeyStore } from '../adapters/dynamo/apiKeyStore';
import { DeliveryStore } from '../adapters/dynamo/deliveryStore';
import { makeIntegrationsHandler } from '../handlers/integrations/routeIntegrations';
import { complianceOf } from '../usecases/receiveDelivery';
import { mappingOptionsFromEnv } from '../shared/integrationConfig';
import { cachedSegmentDefinitions, SegmentStore } from '../adapters/dynamo/segmentStore';
import { SegmentMembership } from '../usecases/segmentMembership';
import { AudienceReader } from '../adapters/dynamo/audienceReader';
import { BroadcastStore } from '../adapters/dynamo/broadcastStore';
import { RecipientJobs } from '../adapters/dynamo/recipientJobs';
import { makeBroadcastWorkerHandler } from '../handlers/broadcastWorkerHandler';
import type { FanOutDeps, PartMessage } from '../usecases/broadcasts/fanOut';

/**
 * The embedded default: the whole system in one process with DynamoDB Local and aws-ses-v2-local.
 * Handlers, use cases and templates are the cloud's; only the adapters (bus, queue, clock) differ.
 */

export type { LocalSystem, LocalSystemOptions } from './systemOptions';
export { LOCAL_INTEGRATION_DEFAULTS } from './localIntegrations';

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const apiKey = options.apiKey ?? process.env['TACTFUL_API_KEY'] ?? 'dev-key';
  const apiKeys = async (): Promise<readonly string[]> => [apiKey];
  const adminKey = options.adminKey ?? process.env['TACTFUL_ADMIN_KEY'] ?? 'dev-admin';
  const adminKeys = async (): Promise<readonly string[]> => [adminKey];
  const editorKey = options.editorKey ?? process.env['TACTFUL_EDITOR_KEY'] ?? 'dev-editor';
  const editorKeys = async (): Promise<readonly string[]> => [editorKey];
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => logger.warn('stop failed', { error: String(e) }));
    stops.length = 0;
  };

  // The server comes up first so /health can say "starting" (503) until everything is ready.
  let ready: HttpHandler = async () => json(503, { status: 'starting' });
  const routes: Route[] = [{ method: 'GET', path: '/health', handler: (r) => ready(r) }];
  const server: Server = createHttpServer(routes);
  try {
    const port = await listen(server, options.port ?? 3000);
    stops.push(
      () =>
        new Promise((ok) => {
          server.closeAllConnections();
          server.close(() => ok());
        }),
    );
    const url = `http://127.0.0.1:${port}`;

    const { dynamodbEndpoint, sesEndpoint } = await localEndpoints(options, stops);

    const prefix = options.tablePrefix ?? 'tactful-';
    const tables = { customers: `${prefix}customers`, catalog: `${prefix}catalog` };
    const config = localConfig(options, tables, url);

    // Clients once, passed in: the same rule as in Lambda.
    const awsLocal = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
    const dynamoClient = createDynamoDbClient({ ...awsLocal, endpoint: dynamodbEndpoint });
    stops.push(async () => dynamoClient.destroy());
    const doc = createDocumentClient({ ...awsLocal, endpoint: dynamodbEndpoint });
    options.onDocumentClient?.(doc);
    const ses2 = createSesClient({ ...awsLocal, endpoint: sesEndpoint });
    await ensureTables(dynamoClient, tables);

    const clock = persistedClock(options.persistDir);
    const catalogStore = new CatalogStore(doc, tables.catalog);
    const published = await publishAll(templatesDir(options.templatesRoot), catalogStore, isoNow(clock));
    const broadcasts = new BroadcastStore(doc, tables.catalog, tables.customers);
    const catalog = new CatalogCache(catalogStore, { ttlMs: 1000, broadcasts });
    const customers = new CustomerStore(doc, tables.customers);
    const jobs = new JobStore(doc, tables.customers);
    // Fresh on every read locally: a demo or test records an order and expects the next email to know it.
    const products = new ProductStore(doc, tables.customers, 0);
    const stats = new StatsStore(doc, tables.customers);
    const keyFile = options.keyFile ?? join(options.templatesRoot ?? process.cwd(), '.tactful', 'token.key');
    const tokenKey = loadOrCreateKeyFile(keyFile);
    const sessionKey = loadOrCreateKeyFile(join(dirname(keyFile), 'console.key'));
    options.onSesClient?.(ses2);
    const sesMailer = new SesMailer(ses2, {
      configurationSetName: config.sesConfigurationSet,
      untrackedConfigurationSetName: config.sesUntrackedConfigurationSet,
    });
    const sentMessages = new SentMessages();
    const mailer = sentMessages.wrap(options.wrapMailer ? options.wrapMailer(sesMailer) : sesMailer, clock);

    const triggerQueue = new InProcessQueue({ name: 'trigger', concurrency: 4, maxReceiveCount: 10 });
    const sendQueue = new InProcessQueue({ name: 'send', concurrency: 4, ...options.sendQueue });
    stops.push(async () => {
      triggerQueue.stop();
      sendQueue.stop();
    });
    const publisher = new InProcessEventPublisher(triggerQueue);
    const segments = new SegmentStore(doc, tables.catalog);
    const audience = new AudienceReader(doc, tables.customers, options.audiencePageSize);
    // Fresh on every read locally, as products: a test saves a segment and expects the next event to know it.
    const membership = new SegmentMembership({
      segments: cachedSegmentDefinitions(segments, 0),
      subjects: audience,
      timeZone: config.defaultTimeZone,
    });
    triggerQueue.attach(
      makeTriggerHandler({
        customers,
        products,
        catalog,
        clock,
        stats,
        segments: membership,
        addressHash: async (address) => addressHash(address, tokenKey),
      }),
    );
    sendQueue.attach(
      makeSendHandler({
        jobs,
        products,
        catalog,
        mailer,
        clock,
        stats,
        segments: membership,
        tokenKey: async () => tokenKey,
        config,
        onOutcome: (outcome) => dueWork.onOutcome(outcome),
      }),
    );
    const broadcastQueue = new InProcessQueue({ name: 'broadcast', concurrency: 4, ...options.broadcastQueue });
    stops.push(async () => broadcastQueue.stop());
    const plainFanOut: FanOutDeps = {
      broadcasts,
      segments,
      audience,
      recipients: new RecipientJobs(doc, tables.customers),
      sendQueue: new InProcessSendQueue(sendQueue),
      partQueue: new InProcessSendQueue<PartMessage>(broadcastQueue),
      clock,
      config,
      ...(config.broadcastScanSegments ? { scanSegments: config.broadcastScanSegments } : {}),
    };
    const fanOut = options.wrapFanOut ? options.wrapFanOut(plainFanOut) : plainFanOut;
    broadcastQueue.attach(makeBroadcastWorkerHandler(fanOut));
    const sweep = makeSweepHandler({ jobs, queue: new InProcessSendQueue(sendQueue), clock, catalogStore, broadcasts: fanOut });

    const dueWork = new DueWorkRunner({ clock, sweep, broadcastQueue, sendQueue });
    const runDueWork = dueWork.run;
    if ((options.sweepIntervalMs ?? 1000) > 0) stops.push(dueWork.runEvery(options.sweepIntervalMs ?? 1000, options.onDueWork));

    const preferenceDeps = { customers, catalog, clock, stats, policyVersion: config.policyVersion };
    const feedbackDeps: FeedbackDeps = { ...preferenceDeps, jobs, addressHash: async (address) => addressHash(address, tokenKey) };
    const apiKeyStore = new ApiKeyStore(doc, tables.customers);
    const deliveries = new DeliveryStore(doc, tables.customers);
    const integrationEnv = localIntegrationEnv(options.integrationEnv);
    const localSecrets = localIntegrationSecrets(integrationEnv);
    const secretStatus = localSecretStatus(integrationEnv, apiKey);
    const integrationAdmin = { keys: apiKeyStore, deliveries, secretStatus, publicBaseUrl: url, clock };
    const look = { branding: config.branding, defaultTimeZone: config.defaultTimeZone };
    const { adminApi, adminConsole } = localAdmin({
      ...preferenceDeps,
      jobs,
      products,
      adminKeys,
      editorKeys,
      tokenKey: async () => tokenKey,
      config,
      catalogStore,
      mailer,
      integrations: integrationAdmin,
      segments,
      audience,
      broadcasts,
      local: { doc, catalogTable: tables.catalog, options, sessionKey },
    });
    const admin = routeAdmin(adminApi, adminConsole);
    const given = options.linkRateLimits;
    const linkLimits = () =>
      given ? { limits: { perToken: new RateLimiter(given.perToken, 60_000), perAddress: new RateLimiter(given.perAddress, 60_000) } } : {};
    const preferences = routeCustomerLinks(
      makePreferenceHandler({
        ...preferenceDeps,
        tokenKey: async () => tokenKey,
        unsubscribeScope: config.unsubscribeScope,
        ...look,
        ...linkLimits(),
      }),
      makeWhyHandler({ customers, catalog, clock, tokenKey: async () => tokenKey, ...look, ...linkLimits() }),
    );
    // The functions' routes exactly as API Gateway has them (functions/handlers/routes.ts), then the local-only ones.
    const functions: Record<keyof typeof API_ROUTES, HttpHandler> = {
      ingest: makeIngestHandler({ publisher, apiKeys, keys: apiKeyStore, deliveries, clock }),
      integrations: makeIntegrationsHandler({
        publisher,
        deliveries,
        clock,
        keys: apiKeyStore,
        options: mappingOptionsFromEnv({ ...process.env, ...integrationEnv }),
        secrets: localSecrets,
        compliance: complianceOf({ ...preferenceDeps, tokenKey: async () => tokenKey }),
      }),
      preferences,
      admin,
    };
    for (const [fn, list] of Object.entries(API_ROUTES) as [keyof typeof API_ROUTES, readonly ApiRoute[]][]) {
      for (const route of list) routes.push({ ...route, handler: (request) => invokedAs(fn, () => functions[fn](request)) });
    }
    const sesEvents = makeLocalSesEventsHandler({ ...feedbackDeps, apiKeys, complete: (event) => sentMessages.complete(event) });
    routes.push(
      { method: 'POST', path: '/dev/ses-events', handler: (request) => invokedAs('feedback', () => sesEvents(request)) },
      ...(['GET', 'POST'] as const).map((method) => ({
        method,
        path: '/dev/clock',
        handler: makeDevClockHandler({ now: () => clock.now(), runDueWork, apiKeys }),
      })),
    );

    if (options.seedDemo) await publisher.publish(demoShopEvents(isoNow(clock)));
    ready = async () => json(200, { status: 'ok' });

    return {
      url,
      sesUrl: sesEndpoint,
      dynamodbEndpoint,
      apiKey,
      adminKey,
      editorKey,
      tables,
      clock,
      customers,
      jobs,
      sendQueue,
      broadcastQueue,
      broadcasts,
      catalogStore,
      feedbackDeps,
      apiKeyStore,
      deliveries,
      integrationEnv,
      published,
      runDueWork,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
