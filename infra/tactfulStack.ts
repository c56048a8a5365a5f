import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from './config';
import { Admin } from './constructs/admin';
import { Campaigns } from './constructs/campaigns';
import { Ingest } from './constructs/ingest';
import { Scheduling } from './constructs/scheduling';
import { Sending } from './constructs/sending';
import { Storage } from './constructs/storage';

/** The scale-out engine: the same handlers as `npm start`, on Lambda, SQS, EventBridge, DynamoDB and SES. */
export class TactfulStack extends Stack {
  readonly storage: Storage;
  readonly ingest: Ingest;
  readonly campaigns: Campaigns;
  readonly sending: Sending;
  readonly scheduling: Scheduling;
  readonly admin: Admin;

  constructor(scope: Construct, id: string, props: StackProps & { config: StageConfig }) {
    super(scope, id, props);
    const { config } = props;
    this.storage = new Storage(this, 'Storage', { stage: config.stage });
    this.ingest = new Ingest(this, 'Ingest', { shopApiKeys: this.storage.shopApiKeys });
    this.campaigns = new Campaigns(this, 'Campaigns', { bus: this.ingest.bus, customers: this.storage.customers, catalog: this.storage.catalog });
    this.sending = new Sending(this, 'Sending', {
      config,
      customers: this.storage.customers,
      catalog: this.storage.catalog,
      tokenKey: this.storage.tokenKey,
      publicBaseUrl: this.ingest.url,
    });
    this.admin = new Admin(this, 'Admin', { api: this.ingest.api, customers: this.storage.customers, stage: config.stage });
    this.scheduling = new Scheduling(this, 'Scheduling', { customers: this.storage.customers, sendQueue: this.sending.queue });

    new CfnOutput(this, 'ApiUrl', { value: this.ingest.url, description: 'POST /events here' });
    new CfnOutput(this, 'ShopApiKeysSecret', { value: this.storage.shopApiKeys.secretArn, description: 'the x-api-key value(s) for shops' });
    new CfnOutput(this, 'AdminKeySecret', { value: this.admin.adminKey.secretArn, description: 'the admin API bearer key' });
    new CfnOutput(this, 'CustomersTable', { value: this.storage.customers.tableName });
    new CfnOutput(this, 'CatalogTable', { value: this.storage.catalog.tableName });
  }
}
