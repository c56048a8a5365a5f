/** Time is a port: production reads the system clock; local mode and tests move it with POST /dev/clock (adapters/clock.ts). */
export interface Clock {
  now(): Date;
}

export const isoNow = (clock: Clock): string => clock.now().toISOString();
