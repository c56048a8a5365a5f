import { dispatchDueJobs, type DispatchDeps } from '../usecases/dispatchDueJobs';
import { logger } from '../shared/logger';

/** Scheduled every minute on AWS, on an interval (and by /dev/clock) locally. */
export function makeSweepHandler(deps: DispatchDeps): () => Promise<{ dispatched: number }> {
  return async () => {
    const dispatched = await dispatchDueJobs(deps);
    if (dispatched > 0) logger.info('due jobs dispatched', { dispatched });
    return { dispatched };
  };
}
