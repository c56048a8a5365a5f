import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient } from '../awsClients';

export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  // The document client shares its client's middleware stack (and its retry policy: awsClients.ts).
  return DynamoDBDocumentClient.from(createDynamoDbClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
