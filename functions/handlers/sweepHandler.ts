import { dispatchDueJobs, SweepMemory, type DispatchDeps } from '../usecases/dispatchDueJobs';
import { startDueWaves, type FanOutDeps } from '../usecases/broadcasts/fanOut';
import { logger } from '../shared/logger';
import { toErrorContext } from '../shared/errors';

/**
 * Scheduled every minute on AWS, on an interval (and by /dev/clock) locally: opens the broadcast waves
 * that are due (their parts go to the broadcast queue), then hands due jobs to the send queue.
 */
export function makeSweepHandler(
  deps: DispatchDeps & { broadcasts?: FanOutDeps },
): () => Promise<{ dispatched: number; wavesOpened: number }> {
  // Kept by the container from one sweep to the next: what the next one's overlap reads again.
  const memory = new SweepMemory();
  return async () => {
    // A failure to open waves must not hold up the flows' emails: the next sweep tries again.
    const wavesOpened = deps.broadcasts
      ? await startDueWaves(deps.broadcasts).catch((error: unknown) => {
          logger.error('broadcast waves not opened this sweep', toErrorContext(error));
          return 0;
        })
      : 0;
    const dispatched = await dispatchDueJobs({ ...deps, memory });
    if (dispatched > 0) logger.info('due jobs dispatched', { dispatched });
    return { dispatched, wavesOpened };
  };
}
