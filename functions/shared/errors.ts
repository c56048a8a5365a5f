/** Typed errors carry context; `toErrorContext` is what may be logged (never personal data). */

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super(`configuration ${setting}: ${problem}`);
  }
}

/** A concurrent writer changed what we read: re-read and decide again. */
export class ConcurrentUpdateError extends Error {
  override name = 'ConcurrentUpdateError';
  constructor(readonly what: string) {
    super(`concurrent update of ${what}`);
  }
}

export function toErrorContext(error: unknown): { errorName: string; errorMessage: string } {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message };
  return { errorName: 'NonError', errorMessage: String(error) };
}
