import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CATALOG_TABLE_KEYS, CUSTOMERS_TABLE_KEYS } from '../../functions/adapters/dynamo/tableDefinitions';
import { generatedSecret } from './generatedSecret';

/** Tables and secrets. Keys come from the same definitions local mode uses (docs/storage.md). */
export class Storage extends Construct {
  readonly customers: Table;
  readonly catalog: Table;
  readonly tokenKey: Secret;
  readonly shopApiKeys: Secret;

  constructor(scope: Construct, id: string, { stage }: { stage: 'dev' | 'prod' }) {
    super(scope, id);
    const prod = stage === 'prod';
    const common = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: prod,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    };
    const { partitionKey, sortKey, ttlAttribute, dueIndex, campaignIndex } = CUSTOMERS_TABLE_KEYS;
    this.customers = new Table(this, 'Customers', {
      ...common,
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: ttlAttribute,
    });
    this.customers.addGlobalSecondaryIndex({
      indexName: dueIndex.name,
      partitionKey: { name: dueIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: dueIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...dueIndex.projectedAttributes],
    });
    this.customers.addGlobalSecondaryIndex({
      indexName: campaignIndex.name,
      partitionKey: { name: campaignIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: campaignIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    this.catalog = new Table(this, 'Catalog', {
      ...common,
      partitionKey: { name: CATALOG_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: CATALOG_TABLE_KEYS.sortKey, type: AttributeType.STRING },
    });

    this.tokenKey = generatedSecret(this, 'TokenSigningKey', {
      description: 'HMAC key that signs unsubscribe and preference links',
      length: 64,
      retain: prod,
      manualRotation:
        'Rotating the signing key would break unsubscribe and preference links in mail sent up to 400 days ago; links must keep ' +
        'working (RFC 8058, GDPR Art. 21).',
    });
    this.shopApiKeys = generatedSecret(this, 'ShopApiKeys', {
      description: 'API keys shops send as x-api-key (one key, or a JSON array to rotate)',
      length: 40,
      retain: prod,
      manualRotation:
        'Rotated by operators: the secret holds a JSON array so a new key and the old one overlap while the shop switches; a new key ' +
        'has to reach the shop out of band, which a rotation function cannot do.',
    });
  }
}
