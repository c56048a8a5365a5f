import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { AdjustableClock } from '../adapters/clock';
import type { ConsoleIdentityProvider } from '../adapters/auth/cognitoSignIn';
import type { BroadcastStore } from '../adapters/dynamo/broadcastStore';
import type { CatalogStore } from '../adapters/dynamo/catalogStore';
import type { CustomerStore } from '../adapters/dynamo/customerStore';
import type { JobStore } from '../adapters/dynamo/jobStore';
import type { ApiKeyStore } from '../adapters/dynamo/apiKeyStore';
import type { DeliveryStore } from '../adapters/dynamo/deliveryStore';
import type { Mailer } from '../adapters/ses/mailer';
import type { ConsentModel } from '../domain/customers/profile';
import type { CapRule } from '../domain/pacing/frequencyCap';
import type { QuietHours } from '../domain/pacing/quietHours';
import type { PublishReport } from '../publishing/publishAll';
import type { FanOutDeps } from '../usecases/broadcasts/fanOut';
import type { FeedbackDeps } from '../usecases/sesFeedback';
import type { DueWorkReport } from './dueWorkReport';
import type { InProcessQueue, InProcessQueueOptions } from './inProcessQueue';
import type { IntegrationEnv, IntegrationSetting } from './localIntegrations';

/** What `startLocalSystem` takes (every option has a default) and what it gives tests and scripts. */

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
  integrationEnv: IntegrationEnv;
  published: PublishReport;
  /** Moves the clock (if asked), sweeps and sends whatever is due, and says what happened. */
  runDueWork(advanceMs?: number): Promise<DueWorkReport>;
  stop(): Promise<void>;
}
