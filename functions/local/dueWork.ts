import { isoNow, type AdjustableClock } from '../adapters/clock';
import { logger } from '../shared/logger';
import type { SendOutcome } from '../usecases/sending';
import { DueWorkTally, somethingHappened, type DueWorkReport } from './dueWorkReport';
import type { InProcessQueue } from './inProcessQueue';
import { invokedAs } from './invocation';

/**
 * Due work locally: what the scheduled sweep and the queues do on AWS, run on demand (`/dev/clock`,
 * tests) or every second in the background (`npm start`). One run at a time; a run sweeps, waits for
 * the broadcast and send queues to go idle, and sweeps again until nothing is due.
 */

export interface DueWorkDeps {
  clock: AdjustableClock;
  sweep: () => Promise<{ dispatched: number; wavesOpened: number }>;
  broadcastQueue: InProcessQueue;
  sendQueue: InProcessQueue;
}

export class DueWorkRunner {
  private sweeping: Promise<unknown> = Promise.resolve();
  private tally: DueWorkTally | undefined;

  constructor(private readonly deps: DueWorkDeps) {}

  /** The send handler's outcomes, tallied for the run they belong to. */
  readonly onOutcome = (outcome: SendOutcome): void => this.tally?.add(outcome);

  /**
   * Moves the clock (if asked), sweeps and sends whatever is due, and says what happened. /dev/clock
   * waits for its turn, moves the clock, then waits for the sends it caused.
   */
  readonly run = (advanceMs?: number): Promise<DueWorkReport> => {
    const { clock, sweep, broadcastQueue, sendQueue } = this.deps;
    const run = this.sweeping.then(async () => {
      if (advanceMs !== undefined) clock.advance(advanceMs);
      const mine = (this.tally = new DueWorkTally());
      let total = 0;
      let failures = 0;
      try {
        for (let round = 0; round < 100; round++) {
          let dispatched: number;
          let wavesOpened: number;
          try {
            ({ dispatched, wavesOpened } = await invokedAs('sweep', () => sweep()));
          } catch (error) {
            // As the scheduled sweep on AWS would run again a minute later: try again, a few times.
            if (++failures > 5) throw error;
            await new Promise((r) => setTimeout(r, 20 * failures));
            continue;
          }
          // A wave's workers hand their recipients to the send queue as they go: both run until idle.
          await broadcastQueue.drain();
          await sendQueue.drain();
          total += dispatched;
          if (dispatched === 0 && wavesOpened === 0) break;
        }
      } finally {
        this.tally = undefined;
      }
      return mine.report(isoNow(clock), total);
    });
    this.sweeping = run.catch(() => undefined);
    return run;
  };

  /** Runs due work every `intervalMs` until the returned stop is called (which waits for the run under way). */
  runEvery(intervalMs: number, onDueWork?: (report: DueWorkReport) => void): () => Promise<void> {
    // A tick while the last background run is still waiting or running is skipped: runs never pile up
    // behind a slow one (nor in front of a /dev/clock waiting its turn).
    let backgroundRun: Promise<unknown> | undefined;
    const timer = setInterval(() => {
      if (backgroundRun) return;
      backgroundRun = this.run()
        .then((report) => {
          if (somethingHappened(report)) onDueWork?.(report);
        })
        .catch((e: unknown) => logger.error('sweep failed', { error: String(e) }))
        .finally(() => (backgroundRun = undefined));
    }, intervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await this.sweeping;
    };
  }
}
