import type { DynamoLocal, SesLocal } from '../../../functions/local/services';

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, unknown>)['__tactfulServices'] as { dynamo: DynamoLocal; ses: SesLocal } | undefined;
  await Promise.all([services?.dynamo.stop(), services?.ses.stop()]);
}
