/**
 * How every function is bundled, in one place: the stack (tactfulFunction.ts) and the cold-start
 * benchmark (scripts/bench/coldStart.ts) build the same thing.
 */
export const LAMBDA_BUNDLE = {
  minify: true,
  /** The Lambda runtime (nodejs24.x); Node 20, used locally, runs this output too. */
  target: 'node24',
  /** The runtime provides AWS SDK v3. */
  external: ['@aws-sdk/*'],
} as const;
