import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '../../functions/adapters/dynamo/documentClient';
import { createSesClient } from '../../functions/adapters/ses/mailer';

/**
 * The yardstick for cold starts: a handler that only creates the send function's SDK clients —
 * DynamoDB, SES and Secrets Manager (the token key) — and does nothing else.
 */
const doc = createDocumentClient();
const ses = createSesClient();
const secrets = new SecretsManagerClient({});

export const handler = async (): Promise<unknown> => [doc, ses, secrets].length;
