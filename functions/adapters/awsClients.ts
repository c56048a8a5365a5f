import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';
import { SESv2Client, type SESv2ClientConfig } from '@aws-sdk/client-sesv2';
import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { withoutSdkLogger } from './sdkLogger';

/**
 * The one place the SDK clients are configured, once per container. Transient failures of a request —
 * throttling, 5xx, the network — are the SDK's to retry: its standard mode (exponential backoff with full
 * jitter, and a retry quota that stops retrying when most requests fail). DynamoDB holds the state every
 * guarantee rests on (claims, records, receipts), so it gets more tries; the retry budget of each path is
 * in docs/architecture.md#retries. What a successful request leaves undone is shared/retry.ts's.
 */
export const SDK_TRIES = { dynamodb: 5, ses: 3, sqs: 3, eventbridge: 3 } as const;

const retrying = <C extends object>(service: keyof typeof SDK_TRIES, config: C) => ({
  retryMode: 'standard',
  maxAttempts: SDK_TRIES[service],
  ...config,
});

export const createDynamoDbClient = (config: DynamoDBClientConfig = {}): DynamoDBClient =>
  withoutSdkLogger(new DynamoDBClient(retrying('dynamodb', config)));

export const createSesClient = (config: SESv2ClientConfig = {}): SESv2Client => withoutSdkLogger(new SESv2Client(retrying('ses', config)));

export const createSqsClient = (config: SQSClientConfig = {}): SQSClient => withoutSdkLogger(new SQSClient(retrying('sqs', config)));

export const createEventBridgeClient = (config: EventBridgeClientConfig = {}): EventBridgeClient =>
  withoutSdkLogger(new EventBridgeClient(retrying('eventbridge', config)));
