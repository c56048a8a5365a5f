import { startDynamoLocal, startSesLocal } from '../../../functions/local/services';

/** One DynamoDB Local and one SES inbox for the whole run; each test file gets its own tables. */
export default async function globalSetup(): Promise<void> {
  const [dynamo, ses] = await Promise.all([startDynamoLocal({ port: 0 }), startSesLocal({ port: 0 })]);
  process.env['TACTFUL_TEST_DYNAMODB'] = dynamo.endpoint;
  process.env['TACTFUL_TEST_SES'] = ses.endpoint;
  (globalThis as Record<string, unknown>)['__tactfulServices'] = { dynamo, ses };
}
