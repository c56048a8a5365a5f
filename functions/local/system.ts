import { dirname, join } from 'node:path';
import type { Server } from 'node:http';
import { createDynamoDbClient } from '../adapters/awsClients';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isoNow, type AdjustableClock } from '../adapters/clock';
import { persistedClock } from './persistedClock';
import { DueWorkTally, somethingHappened, type DueWorkReport } from './dueWorkReport';
import { CatalogCache } from '../adapters/dynamo/catalogCache';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { CustomerStore } from '../adapters/dynamo/customerStore';
import { JobStore } from '../adapters/dynamo/jobStore';
import { ProductStore } from '../adapters/dynamo/productStore';
import { StatsStore } from '../adapters/dynamo/statsStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { createSesClient, SesMailer, type Mailer } from '../adapters/ses/mailer';
import { makeIngestHandler } from '../handlers/ingestHandler';
import { makeAdminApiHandler, routeAdmin } from '../handlers/adminApiHandler';
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
import { publishAll, type PublishReport } from '../publishing/publishAll';
import { listTemplateNames, templatesDir } from '../publishing/templateSource';
import { validateTemplateInFolder } from '../publishing/folderChecks';
import { UnknownTemplateError } from '../usecases/templates';
import { checkTemplateOffThread } from '../adapters/templateCheck/offThread';
import { makeConsoleHandler } from '../handlers/console/consoleHandler';
import { AuthoringStore } from '../adapters/dynamo/authoringStore';
import { AdminStore } from '../adapters/dynamo/adminStore';
import { folderValidator } from '../publishing/draftFolder';
import { API_ROUTES, type ApiRoute } from '../handlers/routes';
import type { ConsoleIdentityProvider } from '../adapters/auth/cognitoSignIn';
import { configFromEnv, type AppConfig } from '../shared/config';
import { ENV } from '../shared/envNames';
import type { QuietHours } from '../domain/pacing/quietHours';
import type { CapRule } from '../domain/pacing/frequencyCap';
import type { ConsentModel } from '../domain/customers/profile';
import { logger } from '../shared/logger';
import { demoShopEvents } from './demoShop';
import { makeDevClockHandler } from './devClock';
import { createHttpServer, listen, type Route } from './httpServer';
import { InProcessEventPublisher, InProcessSendQueue } from './inProcessAdapters';
import { InProcessQueue, type InProcessQueueOptions } from './inProcessQueue';
import { invokedAs } from './invocation';
import { loadOrCreateKeyFile } from './localSecrets';
import { SentMessages } from './sentMessages';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoLocal, startSesLocal, type DynamoLocal, type SesLocal } from './services';
import { ensureTables } from './tables';
import { ApiKeyStore } from '../adapters/dynamo/apiKeyStore';
import { DeliveryStore } from '../adapters/dynamo/deliveryStore';
import { makeIntegrationsHandler } from '../handlers/integrations/routeIntegrations';
import type { IntegrationSecrets } from '../handlers/integrations/integrationHandlers';
import { complianceOf } from '../usecases/receiveDelivery';
import { mappingOptionsFromEnv } from '../shared/integrationConfig';
import { cachedSegmentDefinitions, SegmentStore } from '../adapters/dynamo/segmentStore';
import { SegmentMembership } from '../usecases/segmentMembership';
import { AudienceReader } from '../adapters/dynamo/audienceReader';
import { BroadcastStore } from '../adapters/dynamo/broadcastStore';
import { RecipientJobs } from '../adapters/dynamo/recipientJobs';
import { makeBroadcastWorkerHandler } from '../handlers/broadcastWorkerHandler';
import type { FanOutDeps, PartMessage } from '../usecases/broadcasts/fanOut';

/** The integrations' secrets locally: the environment's, or development defaults that `npm start` prints. */
export const LOCAL_INTEGRATION_DEFAULTS = {
  SHOPIFY_WEBHOOK_SECRET: 'dev-shopify-secret',
  WOOCOMMERCE_WEBHOOK_SECRET: 'dev-woo-secret',
  SEGMENT_WRITE_KEY: 'dev-write-key',
  SEGMENT_SHARED_SECRET: 'dev-segment-secret',
  CART_URL_TEMPLATE: 'https://shop.example.com/cart?id={cart_id}',
} as const;

type IntegrationSetting =
  keyof typeof LOCAL_INTEGRATION_DEFAULTS | 'DEFAULT_CURRENCY' | 'SHOPIFY_CONSENT_TOPICS' | 'SEGMENT_CONSENT_TRAITS';

/**
 * The embedded default: the whole system in one process with DynamoDB Local and aws-ses-v2-local.
 * Handlers, use cases and templates are the cloud's; only the adapters (bus, queue, clock) differ.
 */

export interface LocalSystemOptions {
  port?: number;
  dynamodbPort?: number;
  sesPort?: number;
  /** Keep DynamoDB data in this folder across restarts (default: in memory). */
  persistDir?: string;
  /** Use an already running DynamoDB / SES instead of starting one (integration tests share them). */
  dynamodbEndpoint?: string;
  sesEndpoint?: string;
  tablePrefix?: string;
  apiKey?: string;
  adminKey?: string;
  /** An editor's key (drafts, previews, test sends; no publishing): TACTFUL_EDITOR_KEY, default dev-editor. */
  editorKey?: string;
  /** Four eyes (REQUIRE_APPROVAL): a publish waits for a second publisher. */
  requireApproval?: boolean;
  /** Where test sends may go (TEST_SEND_ALLOWLIST); default anywhere, as mail stays in the local inbox. */
  testSendAllowlist?: string[];
  seedDemo?: boolean;
  /** Real-time sweep interval; 0 turns the background sweep off (tests drive time with /dev/clock). */
  sweepIntervalMs?: number;
  /** Hears each background sweep that sent, held, skipped or failed something (`npm start` prints it). */
  onDueWork?: (report: DueWorkReport) => void;
  templatesRoot?: string;
  keyFile?: string;
  /** Wraps the SES mailer, e.g. to inject throttling in tests. */
  wrapMailer?: (mailer: Mailer) => Mailer;
  sendQueue?: Partial<InProcessQueueOptions>;
  /** The broadcast queue's delivery (wave parts), e.g. fast retries in tests. */
  broadcastQueue?: Partial<InProcessQueueOptions>;
  /** Items per page of a broadcast wave's scan (default 1000): tests cut pages small. */
  audiencePageSize?: number;
  /** Wraps the broadcast fan-out's ports, e.g. to make a worker die mid-page in tests. */
  wrapFanOut?: (deps: FanOutDeps) => FanOutDeps;
  shopName?: string;
  /** Shop quiet hours; defaults to QUIET_HOURS or 21:00–08:00. Tests pass "off" hours to control time. */
  quietHours?: QuietHours;
  capRules?: CapRule[];
  consentModel?: ConsentModel;
  /** What missing tracking consent means (default: no tracking anywhere; TRACKING_OPT_OUT_COUNTRIES). */
  trackingModel?: ConsentModel;
  /** Sees the SES client the mailer uses, e.g. for a test to read the configuration set of each request. */
  onSesClient?: (client: SESv2Client) => void;
  /** Sees the DynamoDB client the stores use, e.g. to count requests in the benchmark. */
  onDocumentClient?: (client: DynamoDBDocumentClient) => void;
  /** Console sign-in through an identity provider (as on AWS with Cognito) instead of the admin key. */
  consoleIdentityProvider?: ConsoleIdentityProvider;
  /** Requests a minute per link token and per address on /u and /preferences (defaults 30 and 120). */
  linkRateLimits?: { perToken: number; perAddress: number };
  /** The console editors' renders a minute per signed-in person (default PREVIEWS_PER_MINUTE). */
  previewsPerMinute?: number;
  /** Integration secrets and settings (default: the environment, then LOCAL_INTEGRATION_DEFAULTS). */
  integrationEnv?: Partial<Record<IntegrationSetting, string>>;
}

export interface LocalSystem {
  url: string;
  sesUrl: string;
  dynamodbEndpoint: string;
  apiKey: string;
  adminKey: string;
  editorKey: string;
  tables: { customers: string; catalog: string };
  clock: AdjustableClock;
  customers: CustomerStore;
  jobs: JobStore;
  sendQueue: InProcessQueue;
  broadcastQueue: InProcessQueue;
  broadcasts: BroadcastStore;
  catalogStore: CatalogStore;
  /** What the feedback function is given on AWS, wired to the local stores (tests feed it SQS batches). */
  feedbackDeps: FeedbackDeps;
  apiKeyStore: ApiKeyStore;
  deliveries: DeliveryStore;
  /** The integration secrets in force (tests sign with them; npm start prints them). */
  integrationEnv: Record<keyof typeof LOCAL_INTEGRATION_DEFAULTS, string>;
  published: PublishReport;
  /** Moves the clock (if asked), sweeps and sends whatever is due, and says what happened. */
  runDueWork(advanceMs?: number): Promise<DueWorkReport>;
  stop(): Promise<void>;
}

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

    let dynamo: DynamoLocal | undefined;
    let dynamodbEndpoint = options.dynamodbEndpoint;
    if (!dynamodbEndpoint) {
      dynamo = await startDynamoLocal({ port: options.dynamodbPort ?? 8000, persistDir: options.persistDir });
      stops.push(() => dynamo!.stop());
      dynamodbEndpoint = dynamo.endpoint;
    }
    let ses: SesLocal | undefined;
    let sesEndpoint = options.sesEndpoint;
    if (!sesEndpoint) {
      ses = await startSesLocal({ port: options.sesPort ?? 8005 });
      stops.push(() => ses!.stop());
      sesEndpoint = ses.endpoint;
    }

    const prefix = options.tablePrefix ?? 'tactful-';
    const tables = { customers: `${prefix}customers`, catalog: `${prefix}catalog` };
    // The same parsing as in Lambda, with local defaults under whatever the environment sets.
    const config: AppConfig = {
      ...configFromEnv({
        [ENV.fromAddress]: 'Demo Shop <shop@demo.tactful.test>',
        [ENV.shopName]: options.shopName ?? 'Demo Shop',
        [ENV.shopPostalAddress]: 'ul. Przykładowa 1, 00-001 Warszawa, Poland',
        // The demo shop's look: its colour (too light for text; pages and emails darken it) and address.
        [ENV.shopBrandColor]: '#2f9e6e',
        [ENV.shopSupportAddress]: 'help@demo.tactful.test',
        [ENV.defaultTimeZone]: 'Europe/Warsaw',
        // As on AWS: emails go through the tracked or the untracked configuration set (the choice is recorded).
        [ENV.sesConfigurationSet]: 'tactful-tracked',
        [ENV.sesUntrackedConfigurationSet]: 'tactful-untracked',
        ...process.env,
        [ENV.customersTable]: tables.customers,
        [ENV.catalogTable]: tables.catalog,
        [ENV.publicBaseUrl]: url,
      }),
      ...(options.capRules ? { capRules: options.capRules } : {}),
      ...(options.quietHours ? { quietHours: options.quietHours } : {}),
      ...(options.consentModel ? { consentModel: options.consentModel } : {}),
      ...(options.trackingModel ? { trackingModel: options.trackingModel } : {}),
    };

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
        onOutcome: (outcome) => tally?.add(outcome),
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

    // One run of due work at a time; /dev/clock waits for its turn, moves the clock, then waits for the
    // sends it caused. What the sends did is tallied for the run they belong to.
    let sweeping: Promise<unknown> = Promise.resolve();
    let tally: DueWorkTally | undefined;
    const runDueWork = (advanceMs?: number): Promise<DueWorkReport> => {
      const run = sweeping.then(async () => {
        if (advanceMs !== undefined) clock.advance(advanceMs);
        const mine = (tally = new DueWorkTally());
        let total = 0;
        let failures = 0;
        try {
          for (let round = 0; round < 100; round++) {
            let dispatched: number;
            let wavesOpened: number;
            try {
              ({ dispatched, wavesOpened } = await invokedAs('sweep', () => sweep()));
            } catch (error) {
              // As the scheduled sweep on AWS would run again a minute later: try again, a few times.
              if (++failures > 5) throw error;
              await new Promise((r) => setTimeout(r, 20 * failures));
              continue;
            }
            // A wave's workers hand their recipients to the send queue as they go: both run until idle.
            await broadcastQueue.drain();
            await sendQueue.drain();
            total += dispatched;
            if (dispatched === 0 && wavesOpened === 0) break;
          }
        } finally {
          tally = undefined;
        }
        return mine.report(isoNow(clock), total);
      });
      sweeping = run.catch(() => undefined);
      return run;
    };
    if ((options.sweepIntervalMs ?? 1000) > 0) {
      // A tick while the last background run is still waiting or running is skipped: runs never pile up
      // behind a slow one (nor in front of a /dev/clock waiting its turn).
      let backgroundRun: Promise<unknown> | undefined;
      const timer = setInterval(() => {
        if (backgroundRun) return;
        backgroundRun = runDueWork()
          .then((report) => {
            if (somethingHappened(report)) options.onDueWork?.(report);
          })
          .catch((e: unknown) => logger.error('sweep failed', { error: String(e) }))
          .finally(() => (backgroundRun = undefined));
      }, options.sweepIntervalMs ?? 1000);
      timer.unref();
      stops.push(async () => {
        clearInterval(timer);
        await sweeping;
      });
    }

    const preferenceDeps = { customers, catalog, clock, stats, policyVersion: config.policyVersion };
    const feedbackDeps: FeedbackDeps = { ...preferenceDeps, jobs, addressHash: async (address) => addressHash(address, tokenKey) };
    const apiKeyStore = new ApiKeyStore(doc, tables.customers);
    const deliveries = new DeliveryStore(doc, tables.customers);
    const integrationEnv = { ...LOCAL_INTEGRATION_DEFAULTS } as Record<keyof typeof LOCAL_INTEGRATION_DEFAULTS, string>;
    for (const name of Object.keys(LOCAL_INTEGRATION_DEFAULTS) as (keyof typeof LOCAL_INTEGRATION_DEFAULTS)[]) {
      const value = options.integrationEnv?.[name] ?? process.env[name];
      if (value) integrationEnv[name] = value;
    }
    const localSecrets: IntegrationSecrets = {
      shopify: async () => integrationEnv.SHOPIFY_WEBHOOK_SECRET,
      woocommerce: async () => integrationEnv.WOOCOMMERCE_WEBHOOK_SECRET,
      segmentSharedSecret: async () => integrationEnv.SEGMENT_SHARED_SECRET,
      segmentWriteKeys: async () => [integrationEnv.SEGMENT_WRITE_KEY],
    };
    const secretStatus = async (): Promise<Record<string, string>> => {
      const status = (name: keyof typeof LOCAL_INTEGRATION_DEFAULTS) =>
        integrationEnv[name] === LOCAL_INTEGRATION_DEFAULTS[name] ? 'development default' : 'set';
      return {
        shopify: status('SHOPIFY_WEBHOOK_SECRET'),
        woocommerce: status('WOOCOMMERCE_WEBHOOK_SECRET'),
        'segment-write-key': status('SEGMENT_WRITE_KEY'),
        'api-key': apiKey === 'dev-key' ? 'development default' : 'set',
      };
    };
    const integrationAdmin = { keys: apiKeyStore, deliveries, secretStatus, publicBaseUrl: url, clock };
    const look = { branding: config.branding, defaultTimeZone: config.defaultTimeZone };
    const adminDeps = {
      ...preferenceDeps,
      jobs,
      products,
      adminKeys,
      editorKeys,
      tokenKey: async () => tokenKey,
      config,
      catalogStore,
      mailer,
      // Publishing compiles and renders the samples on a worker thread: a slow template never holds this process.
      checkTemplate: checkTemplateOffThread,
      integrations: integrationAdmin,
      authoring: new AuthoringStore(doc, tables.catalog),
      changes: new AdminStore(doc, tables.catalog),
      templateValidator: folderValidator,
      requireApproval: options.requireApproval ?? config.requireApproval,
      // Locally mail stays in the local inbox: anywhere, unless TEST_SEND_ALLOWLIST says otherwise.
      testSendAllowlist: options.testSendAllowlist ?? config.testSendAllowlist,
      segments,
      audience,
      broadcasts,
    };
    const adminApi = makeAdminApiHandler(adminDeps);
    const templateFolder = templatesDir(options.templatesRoot);
    const adminConsole = makeConsoleHandler({
      ...adminDeps,
      // Locally the console also validates and publishes the working copy in templates/.
      // Only a folder listed there: a name such as `../x` never reaches the file system.
      drafts: {
        names: () => listTemplateNames(templateFolder),
        validate: async (name) => {
          if (!listTemplateNames(templateFolder).includes(name)) throw new UnknownTemplateError(name, 'templates/ has no folder named');
          return validateTemplateInFolder(templateFolder, name, isoNow(clock));
        },
      },
      secureCookies: false,
      sessionKey: async () => sessionKey,
      ...(options.previewsPerMinute ? { previewLimiter: new RateLimiter(options.previewsPerMinute, 60_000) } : {}),
      ...(options.consoleIdentityProvider ? { identityProvider: options.consoleIdentityProvider } : {}),
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
