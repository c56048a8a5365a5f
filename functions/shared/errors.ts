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

/**
 * Something a request names does not exist (a template, a version, a campaign, a draft, a segment).
 * Every handler answers it the same way: 404, naming the request's field that named it
 * (handlers/errorAnswers.ts).
 */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(
    message: string,
    /** The request's field that named what is missing ("name", "campaignId", "id"). */
    readonly field: string,
  ) {
    super(message);
  }
}

/** A request's value the use case refuses (not its shape, which zod checks at the edge): 400 naming the field. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** A request that conflicts with what is stored (a name taken, a revision no longer the latest): 409 naming the field. */
export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
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
