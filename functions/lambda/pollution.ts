import { pollutedPrototype } from '../domain/rendering/templateCompiler';
import { logger } from '../shared/logger';

/**
 * For the functions that render: once a prototype is polluted every render refuses
 * (templateCompiler.ts), and only a fresh container is clean. After each invocation, answered or
 * failed, the container ends if one is, and Lambda starts anew; what the invocation did not finish comes back (a queue's
 * messages) or is asked again (a marketer's preview).
 */
export function endIfPolluted<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handler(...args);
    } finally {
      const polluted = pollutedPrototype();
      if (polluted) {
        logger.critical('a prototype was polluted: ending this container', { property: polluted });
        process.exit(1);
      }
    }
  };
}
