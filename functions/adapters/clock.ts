import type { Clock } from '../usecases/ports/clock';

// The port is the use cases' (usecases/ports/clock.ts); these are its clocks.
export { isoNow, type Clock } from '../usecases/ports/clock';

export const systemClock: Clock = { now: () => new Date() };

/**
 * The real clock plus an offset that only grows, so local time never runs backwards. `onAdvance` hears
 * every new offset (local mode keeps it beside persisted data, so a restart resumes the same time).
 */
export class AdjustableClock implements Clock {
  constructor(
    private offsetMs = 0,
    private readonly onAdvance?: (offsetMs: number) => void,
  ) {
    if (!Number.isFinite(offsetMs) || offsetMs < 0) throw new RangeError('the clock offset must be a duration forward');
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  get offset(): number {
    return this.offsetMs;
  }
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
    this.onAdvance?.(this.offsetMs);
    return this.now();
  }
}
