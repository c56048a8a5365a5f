/** The CLI's way to a running tactful: the admin API with the admin key (TACTFUL_ADMIN_KEY, or an editor's) as a bearer token. */

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Answers with a status the caller may want to read (404 "not published yet"), rather than throwing. */
export class AdminApiError extends Error {
  override name = 'AdminApiError';
  constructor(
    readonly status: number,
    readonly answer: unknown,
    message: string,
  ) {
    super(message);
  }
}

export const tactfulUrl = (): string => (process.env['TACTFUL_URL'] ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');

/** A JSON request to a running tactful, authenticated as `as`: the admin key (Bearer) or a shop's API key. */
export async function tactfulRequest(method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, as: 'admin' | 'shop'): Promise<unknown> {
  const base = tactfulUrl();
  const auth: Record<string, string> =
    as === 'admin'
      ? { authorization: `Bearer ${process.env['TACTFUL_ADMIN_KEY'] ?? 'dev-admin'}` }
      : { 'x-api-key': process.env['TACTFUL_API_KEY'] ?? 'dev-key' };
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: { ...auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Error(`cannot reach tactful at ${base}: is it running (npm start), or is TACTFUL_URL right?`);
  }
  const answer = await response.json().catch(() => undefined);
  if (!response.ok) {
    const problem = (answer as { error?: { path?: string; message?: string } } | undefined)?.error;
    const detail = problem?.message ? `${problem.path ? `${problem.path}: ` : ''}${problem.message}` : JSON.stringify(answer);
    throw new AdminApiError(response.status, answer, `${method} ${path}: ${response.status} ${detail}`);
  }
  return answer;
}

export function admin(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
  return tactfulRequest(method, path, body, 'admin');
}
