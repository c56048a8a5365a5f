import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CATALOG_TABLE_KEYS, CUSTOMERS_TABLE_KEYS } from '../adapters/dynamo/tableDefinitions';

/** Creates the tables locally with the same keys and index as the CDK stack (tableDefinitions.ts). */
export async function ensureTables(client: DynamoDBClient, names: { customers: string; catalog: string }): Promise<void> {
  const { partitionKey: pk, sortKey: sk, dueIndex, campaignIndex, ttlAttribute } = CUSTOMERS_TABLE_KEYS;
  await createIfMissing(client, {
    TableName: names.customers,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: pk, AttributeType: 'S' },
      { AttributeName: sk, AttributeType: 'S' },
      { AttributeName: dueIndex.partitionKey, AttributeType: 'S' },
      { AttributeName: dueIndex.sortKey, AttributeType: 'S' },
      { AttributeName: campaignIndex.partitionKey, AttributeType: 'S' },
      { AttributeName: campaignIndex.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: pk, KeyType: 'HASH' },
      { AttributeName: sk, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: dueIndex.name,
        KeySchema: [
          { AttributeName: dueIndex.partitionKey, KeyType: 'HASH' },
          { AttributeName: dueIndex.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...dueIndex.projectedAttributes] },
      },
      {
        IndexName: campaignIndex.name,
        KeySchema: [
          { AttributeName: campaignIndex.partitionKey, KeyType: 'HASH' },
          { AttributeName: campaignIndex.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  });
  await client
    .send(
      new UpdateTimeToLiveCommand({ TableName: names.customers, TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true } }),
    )
    .catch(() => undefined); // already enabled on a persisted database
  await createIfMissing(client, {
    TableName: names.catalog,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: CATALOG_TABLE_KEYS.partitionKey, AttributeType: 'S' },
      { AttributeName: CATALOG_TABLE_KEYS.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: CATALOG_TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: CATALOG_TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
  });
}

async function createIfMissing(client: DynamoDBClient, input: ConstructorParameters<typeof CreateTableCommand>[0]): Promise<void> {
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let i = 0; i < 100; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: input.TableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
