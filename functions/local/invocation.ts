import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which function the in-process stack is running now (ingest, trigger, sweep, send, feedback, admin…),
 * as each would be its own Lambda on AWS. Only the benchmark reads it, to bill each function its share.
 */
export const invocation = new AsyncLocalStorage<{ functionName: string }>();

export const invokedAs = <T>(functionName: string, run: () => T): T => invocation.run({ functionName }, run);
