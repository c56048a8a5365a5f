import { SESv2Client } from '@aws-sdk/client-sesv2';
import { withMetrics } from '../shared/metrics';
import { systemClock } from '../adapters/clock';
import { CatalogCache } from '../adapters/dynamo/catalogCache';
import { CatalogStore } from '../adapters/dynamo/catalogStore';
import { JobStore } from '../adapters/dynamo/jobStore';
import { createDocumentClient } from '../adapters/dynamo/documentClient';
import { StatsStore } from '../adapters/dynamo/statsStore';
import { ProductStore } from '../adapters/dynamo/productStore';
import { SesMailer } from '../adapters/ses/mailer';
import { makeSendHandler } from '../handlers/sendHandler';
import { configFromEnv } from '../shared/config';
import { tokenSigningKey } from './secrets';
import { pollutedPrototype } from '../domain/rendering/templateCompiler';
import { logger } from '../shared/logger';

const config = configFromEnv();
const doc = createDocumentClient();

const send = withMetrics(makeSendHandler({
  jobs: new JobStore(doc, config.customersTable),
  products: new ProductStore(doc, config.customersTable),
  catalog: new CatalogCache(new CatalogStore(doc, config.catalogTable)),
  mailer: new SesMailer(new SESv2Client({}), { configurationSetName: config.sesConfigurationSet }),
  clock: systemClock,
  tokenKey: tokenSigningKey,
  stats: new StatsStore(doc, config.customersTable),
  config,
}));

/**
 * Once a prototype is polluted every render refuses (templateCompiler.ts) and the batch's messages
 * come back to the queue; only a fresh container is clean, so this one ends, and Lambda starts anew.
 */
export const handler: typeof send = async (...args) => {
  const result = await send(...args);
  const polluted = pollutedPrototype();
  if (polluted) {
    logger.critical('a prototype was polluted: ending this container', { property: polluted });
    process.exit(1);
  }
  return result;
};
