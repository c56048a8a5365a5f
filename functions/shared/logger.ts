import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger for every function. Log customer ids and event ids only: never email
 * addresses, names, tokens or postal addresses (docs/privacy.md).
 */
export const logger = new Logger({ serviceName: 'tactful' });
