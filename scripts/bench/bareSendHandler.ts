import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createDocumentClient } from '../../functions/adapters/dynamo/documentClient';

/**
 * The yardstick for cold starts: a handler that only creates the send function's SDK clients —
 * DynamoDB, SES and Secrets Manager (the token key) — and does nothing else.
 */
const doc = createDocumentClient();
const ses = new SESv2Client({});
const secrets = new SecretsManagerClient({});

export const handler = async (): Promise<unknown> => [doc, ses, secrets].length;
