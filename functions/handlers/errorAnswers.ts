import { StaleRevisionError } from '../adapters/dynamo/authoringStore';
import { TemplateCheckTimeoutError } from '../adapters/templateCheck/offThread';
import { changedParts } from '../domain/authoring/draftParts';
import { MissingDataError } from '../domain/rendering/context';
import { TemplateRenderError } from '../domain/rendering/renderer';
import { InvalidReportRangeError } from '../domain/results/range';
import { ConflictError, InvalidInputError, NotFoundError } from '../shared/errors';
import { ApprovalError, DraftInvalidError } from '../usecases/authoring';
import { TemplateCheckError } from '../usecases/templates';
import { json, type HttpResponse } from './http';

/**
 * The one mapping from the use cases' typed errors to what a request is answered: the status, the
 * request's field it is about, the error's words, and for pages a heading. The APIs answer it as JSON
 * (`{error: {path, message}, …details}`), the console as a page; an error no rule knows is thrown on,
 * to be logged and answered 500 by the runtime.
 */
export interface Refusal {
  status: number;
  /** The request's field it is about: "name", "revision", "(body)". */
  path: string;
  message: string;
  /** A page's heading for it (the console). */
  title: string;
  /** More of the JSON answer beside `error`: the validation, the current revision. */
  details?: Record<string, unknown>;
}

const notPublished = (path: string, message: string, errors: { part: string; message: string }[]): Refusal => ({
  status: 422,
  path,
  message,
  title: 'Not published',
  details: { validation: { ok: false, errors, warnings: [] } },
});

export function refusalOf(error: unknown): Refusal | undefined {
  if (error instanceof NotFoundError) return { status: 404, path: error.field, message: error.message, title: 'Not found' };
  if (error instanceof StaleRevisionError) {
    // What changed: the parts where the saved draft differs from the one refused.
    const { revision, savedAt, savedBy, parts } = error.current;
    const current = {
      revision,
      savedAt,
      savedBy,
      ...(error.attempted === undefined ? {} : { changed: changedParts(parts, error.attempted) }),
    };
    return { status: 409, path: error.field, message: error.message, title: 'Changed meanwhile', details: { current } };
  }
  if (error instanceof ConflictError) return { status: 409, path: error.field, message: error.message, title: 'Already there' };
  if (error instanceof InvalidInputError) return { status: 400, path: error.field, message: error.message, title: 'Not possible' };
  if (error instanceof InvalidReportRangeError) return { status: 400, path: error.field, message: error.message, title: 'Not possible' };
  if (error instanceof ApprovalError) return { status: error.status, path: 'approval', message: error.message, title: 'Not approved' };
  if (error instanceof DraftInvalidError) {
    const path = error.subject === 'draft' ? 'parts' : '(body)';
    return { status: 422, path, message: error.message, title: 'Not published', details: { validation: error.validation } };
  }
  // The publish-time check (limits, compile, samples under the render budget, on a worker thread).
  if (error instanceof TemplateCheckError) {
    const errors = error.problems.map(({ part, message }) => ({ part, message }));
    return notPublished(errors[0]?.part ?? '(body)', error.message, errors);
  }
  if (error instanceof TemplateCheckTimeoutError)
    return notPublished('(template)', error.message, [{ part: '(template)', message: error.message }]);
  if (error instanceof MissingDataError) return { status: 422, path: 'sampleData', message: error.message, title: 'Cannot render' };
  if (error instanceof TemplateRenderError) return { status: 422, path: 'version', message: error.message, title: 'Cannot render' };
  return undefined;
}

/** The JSON answer to a typed error; anything else is thrown on. */
export function jsonAnswerTo(error: unknown): HttpResponse {
  const refusal = refusalOf(error);
  if (!refusal) throw error;
  return json(refusal.status, { error: { path: refusal.path, message: refusal.message }, ...refusal.details });
}

/** Runs an API route, answering the use cases' typed errors as JSON. */
export async function answering(run: () => Promise<HttpResponse>): Promise<HttpResponse> {
  try {
    return await run();
  } catch (error) {
    return jsonAnswerTo(error);
  }
}
