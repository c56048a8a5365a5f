import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import { shopEnvironment, type StageConfig } from './config';
import { Admin } from './constructs/admin';
import { Broadcasts } from './constructs/broadcasts';
import { Campaigns } from './constructs/campaigns';
import { Feedback } from './constructs/feedback';
import { Preferences } from './constructs/preferences';
import { Monitoring } from './constructs/monitoring';
import { Ingest } from './constructs/ingest';
import { Integrations } from './constructs/integrations';
import { Scheduling } from './constructs/scheduling';
import { Sending } from './constructs/sending';
import { Storage } from './constructs/storage';
import { API_ROUTES } from '../functions/handlers/routes';
import { ENV } from '../functions/shared/envNames';

/** The scale-out engine: the same handlers as `npm start`, on Lambda, SQS, EventBridge, DynamoDB and SES. */
export class TactfulStack extends Stack {
  readonly storage: Storage;
  readonly ingest: Ingest;
  readonly integrations: Integrations;
  readonly campaigns: Campaigns;
  readonly sending: Sending;
  readonly scheduling: Scheduling;
  readonly broadcasts: Broadcasts;
  readonly admin: Admin;
  readonly preferences: Preferences;
  readonly feedback: Feedback;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: StackProps & { config: StageConfig }) {
    super(scope, id, props);
    const { config } = props;
    this.storage = new Storage(this, 'Storage', { stage: config.stage });
    this.ingest = new Ingest(this, 'Ingest', { shopApiKeys: this.storage.shopApiKeys, customers: this.storage.customers });
    this.campaigns = new Campaigns(this, 'Campaigns', {
      bus: this.ingest.bus,
      customers: this.storage.customers,
      catalog: this.storage.catalog,
      tokenKey: this.storage.tokenKey,
    });
    this.sending = new Sending(this, 'Sending', {
      config,
      customers: this.storage.customers,
      catalog: this.storage.catalog,
      tokenKey: this.storage.tokenKey,
      publicBaseUrl: this.ingest.url,
    });
    const consentEnvironment = {
      [ENV.unsubscribeScope]: config.unsubscribeScope,
      [ENV.optOutCountries]: config.optOutCountries,
      [ENV.policyVersion]: config.policyVersion,
    };
    this.preferences = new Preferences(this, 'Preferences', {
      api: this.ingest.api,
      customers: this.storage.customers,
      catalog: this.storage.catalog,
      tokenKey: this.storage.tokenKey,
      environment: {
        [ENV.fromAddress]: config.fromAddress,
        [ENV.publicBaseUrl]: this.ingest.url,
        ...shopEnvironment(config),
        ...consentEnvironment,
      },
    });
    // Public links are rate limited per route, below the API's overall limit (issue: scanners, abuse).
    // RouteSettings is raw JSON to CloudFormation: its keys are written as CloudFormation spells them.
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of API_ROUTES.preferences)
      routeSettings[`${route.method} ${route.path}`] = { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 };
    // Platforms' webhooks and tracking calls get their own ceiling, so a flood from one never starves POST /events.
    for (const route of API_ROUTES.integrations) {
      routeSettings[`${route.method} ${route.path}`] = { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 };
    }
    (this.ingest.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
    this.integrations = new Integrations(this, 'Integrations', {
      api: this.ingest.api,
      bus: this.ingest.bus,
      customers: this.storage.customers,
      catalog: this.storage.catalog,
      tokenKey: this.storage.tokenKey,
      stage: config.stage,
      environment: {
        [ENV.cartUrlTemplate]: config.cartUrlTemplate,
        [ENV.defaultCurrency]: config.defaultCurrency,
        [ENV.shopifyConsentTopics]: config.shopifyConsentTopics,
        [ENV.segmentConsentTraits]: config.segmentConsentTraits,
        [ENV.policyVersion]: config.policyVersion,
      },
    });
    this.feedback = new Feedback(this, 'Feedback', {
      configurationSet: this.sending.configurationSet,
      untrackedConfigurationSet: this.sending.untrackedConfigurationSet,
      customers: this.storage.customers,
      catalog: this.storage.catalog,
      tokenKey: this.storage.tokenKey,
      environment: consentEnvironment,
    });
    this.admin = new Admin(this, 'Admin', {
      api: this.ingest.api,
      publicBaseUrl: this.ingest.url,
      customers: this.storage.customers,
      catalog: this.storage.catalog,
      tokenKey: this.storage.tokenKey,
      environment: {
        [ENV.fromAddress]: config.fromAddress,
        [ENV.publicBaseUrl]: this.ingest.url,
        ...shopEnvironment(config),
        [ENV.capRules]: config.capRules,
        [ENV.quietHours]: config.quietHours,
        [ENV.trackingOptOutCountries]: config.trackingOptOutCountries,
        ...consentEnvironment,
        [ENV.requireApproval]: String(config.requireApproval),
        ...(config.testSendAllowlist ? { [ENV.testSendAllowlist]: config.testSendAllowlist } : {}),
      },
      stage: config.stage,
    });
    // Test sends from the console: the same identity, From address and configuration sets as real sends.
    this.sending.grantSendEmail(this.admin.function, config);
    this.scheduling = new Scheduling(this, 'Scheduling', {
      customers: this.storage.customers,
      catalog: this.storage.catalog,
      sendQueue: this.sending.queue,
    });
    this.broadcasts = new Broadcasts(this, 'Broadcasts', {
      config,
      customers: this.storage.customers,
      catalog: this.storage.catalog,
      sendQueue: this.sending.queue,
    });
    this.broadcasts.grantOpenWaves(this.scheduling.function, config);

    this.monitoring = new Monitoring(this, 'Monitoring', {
      functions: {
        Ingest: this.ingest.function,
        Integrations: this.integrations.function,
        Trigger: this.campaigns.function,
        Sweep: this.scheduling.function,
        Broadcast: this.broadcasts.function,
        Send: this.sending.function,
        Preferences: this.preferences.function,
        Feedback: this.feedback.function,
        Admin: this.admin.function,
      },
      deadLetterQueues: {
        Trigger: this.campaigns.deadLetterQueue,
        Send: this.sending.deadLetterQueue,
        Broadcast: this.broadcasts.deadLetterQueue,
        Feedback: this.feedback.deadLetterQueue,
      },
      // Unapplied SES feedback is a customer's "no" (a bounce, a complaint) waiting: page before it is old.
      backlogs: { Feedback: this.feedback.queue },
    });

    new CfnOutput(this, 'AlarmTopic', { value: this.monitoring.alarmTopic.topicArn, description: 'subscribe the on-call here' });
    new CfnOutput(this, 'ApiUrl', { value: this.ingest.url, description: 'POST /events here' });
    new CfnOutput(this, 'ShopApiKeysSecret', {
      value: this.storage.shopApiKeys.secretArn,
      description: 'the x-api-key value(s) for shops',
    });
    const { wooSecret, segmentWriteKey, segmentSharedSecret, shopifySecretPrefix } = this.integrations;
    new CfnOutput(this, 'WooCommerceSecret', {
      value: wooSecret.secretArn,
      description: 'paste into WooCommerce → Settings → Advanced → Webhooks → Secret',
    });
    new CfnOutput(this, 'SegmentWriteKeySecret', {
      value: segmentWriteKey.secretArn,
      description: 'the write key for analytics-node and RudderStack (host: ApiUrl)',
    });
    new CfnOutput(this, 'SegmentSharedSecret', {
      value: segmentSharedSecret.secretArn,
      description: 'the shared secret of a Segment Webhooks destination',
    });
    new CfnOutput(this, 'ShopifySecretPrefix', {
      value: shopifySecretPrefix,
      description: 'create one secret per shop: <prefix><shop>.myshopify.com = its webhook secret',
    });
    new CfnOutput(this, 'AdminKeySecret', { value: this.admin.adminKey.secretArn, description: 'the admin API bearer key' });
    new CfnOutput(this, 'ConsoleUserPoolId', {
      value: this.admin.consoleUsers.userPoolId,
      description: "create marketers' console accounts here (MFA required)",
    });
    new CfnOutput(this, 'CustomersTable', { value: this.storage.customers.tableName });
    new CfnOutput(this, 'CatalogTable', { value: this.storage.catalog.tableName });
  }
}
