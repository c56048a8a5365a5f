import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Business metrics (CloudWatch EMF, namespace "tactful"): counts only, dimensions are reasons and
 * outcomes — never a customer. They exist in Lambda only: locally there is no CloudWatch to read
 * them, and unpublished metrics would pile up in a long-running server.
 */
export const metrics = new Metrics({ namespace: 'tactful', serviceName: 'tactful' });

const inLambda = (): boolean => process.env['AWS_LAMBDA_FUNCTION_NAME'] !== undefined;

export function count(name: string, value = 1, dimension?: { name: string; value: string }): void {
  if (!inLambda()) return;
  if (!dimension) return void metrics.addMetric(name, MetricUnit.Count, value);
  const single = metrics.singleMetric();
  single.addDimension(dimension.name, dimension.value);
  single.addMetric(name, MetricUnit.Count, value);
}

/** Flushes the invocation's metrics however the handler ends. */
export function withMetrics<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handler(...args);
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
