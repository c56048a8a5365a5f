import { consoleScript, isConsoleScript } from '../../adapters/consoleAssets/consoleAssets';
import type { Principal } from '../../domain/authoring/roles';
import { ADMIN_API_ROUTES, refuseUnless } from '../adminApiHandler';
import { findRoute, problem, type HttpRequest, type HttpResponse } from '../http';
import type { ConsoleDeps } from './consoleHandler';
import { scriptResponse } from './editorShell';
import type { PageContext } from './html';
import { templateEditorRoute } from './templateEditorRoutes';
import { campaignEditorRoute } from './campaignEditorRoutes';
import { answering } from '../errorAnswers';

/**
 * The editors' part of the console: their pages, their JSON calls (the session's cookie and a CSRF
 * header, checked by the console handler) and their scripts. Publishing runs the admin API's own
 * route as the signed-in person, so the console and the API answer alike (one contract, one mapping).
 */

export type EditorDeps = ConsoleDeps & { actor: string; principal: Principal };

/**
 * Renders a minute per signed-in person. Each is a validation and a render on the admin function's
 * CPU; the editors ask for one after each pause in typing (400 ms), at most 150 a minute, so only a
 * script or a stuck page reaches this.
 */
export const PREVIEWS_PER_MINUTE = 180;

/** 429 with when to try again once the signed-in person has asked for too many renders this minute. */
export function tooManyRenders(deps: EditorDeps): HttpResponse | undefined {
  const wait = deps.previewLimiter?.take(deps.principal.actor) ?? 0;
  if (!wait) return undefined;
  const seconds = wait === 1 ? 'a second' : `${wait} seconds`;
  return problem(429, '(request)', `Too many previews in a minute: the next one can be asked for in ${seconds}.`, {
    'retry-after': String(wait),
  });
}

/** Runs an admin API route with the signed-in person as the caller (the route's role is checked). */
export async function viaAdminApi(method: 'GET' | 'POST' | 'PUT', path: string, body: unknown, deps: EditorDeps): Promise<HttpResponse> {
  const { route, params } = findRoute(ADMIN_API_ROUTES, method, path);
  if (!route) return problem(404, '(path)', 'unknown admin resource');
  const request = {
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: { http: { method } },
    pathParameters: params,
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  } as unknown as HttpRequest;
  return refuseUnless(deps.principal, route.role) ?? answering(() => route.handle(request, params, deps));
}

/** The editors' routes, or undefined when the request is not theirs. */
export async function editorRoute(
  method: string,
  segments: string[],
  request: HttpRequest,
  form: URLSearchParams,
  ctx: PageContext,
  deps: EditorDeps,
): Promise<HttpResponse | undefined> {
  const [section, file] = segments;
  if (section === 'assets' && method === 'GET' && segments.length === 2) {
    const name = /^([a-z-]+)\.js$/.exec(file ?? '')?.[1];
    if (!name || !isConsoleScript(name)) return problem(404, '(path)', 'no such script');
    return scriptResponse(await consoleScript(name), request.queryStringParameters?.['v']);
  }
  if (section === 'templates') return templateEditorRoute(method, segments, request, form, ctx, deps);
  if (section === 'campaigns') return campaignEditorRoute(method, segments, request, ctx, deps);
  return undefined;
}
