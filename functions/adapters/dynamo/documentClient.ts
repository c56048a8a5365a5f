import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withoutSdkLogger } from '../sdkLogger';

export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  // The document client shares its client's middleware stack.
  return DynamoDBDocumentClient.from(withoutSdkLogger(new DynamoDBClient(config)), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
