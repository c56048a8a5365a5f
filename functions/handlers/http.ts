import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** HTTP handlers are API Gateway (HTTP API, payload v2) handlers; the local server speaks the same shape. */
export type HttpRequest = APIGatewayProxyEventV2;
export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };
export type HttpHandler = (request: HttpRequest) => Promise<HttpResponse>;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

export function problem(statusCode: number, path: string, message: string, headers: Record<string, string> = {}): HttpResponse {
  return json(statusCode, { error: { path, message } }, headers);
}

export function header(request: HttpRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

export function bodyText(request: HttpRequest): string {
  if (!request.body) return '';
  return request.isBase64Encoded ? Buffer.from(request.body, 'base64').toString('utf8') : request.body;
}

/** The request body as JSON, or the 400 answer naming the problem. */
export function parseJsonBody(request: HttpRequest): { value: unknown } | { response: HttpResponse } {
  const text = bodyText(request);
  try {
    return { value: text.trim() === '' ? undefined : JSON.parse(text) };
  } catch {
    return { response: problem(400, '(body)', 'is not valid JSON') };
  }
}

/**
 * Matches a path against an API Gateway-style pattern: literal segments, `{name}` and a final greedy
 * `{name+}`. The parameters come back decoded; undefined when it does not match or is not valid
 * percent-encoding (a malformed path matches nothing).
 */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const parts = pattern.split('/').filter(Boolean);
  const segments = path.split('/').filter(Boolean);
  const greedy = /^\{(\w+)\+\}$/.exec(parts[parts.length - 1] ?? '');
  if (greedy ? segments.length < parts.length : parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  try {
    for (const [i, part] of parts.entries()) {
      if (greedy && i === parts.length - 1) {
        params[greedy[1]!] = segments
          .slice(i)
          .map((s) => decodeURIComponent(s))
          .join('/');
        break;
      }
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name) params[name] = decodeURIComponent(segments[i]!);
      else if (part !== segments[i]) return undefined;
    }
  } catch {
    return undefined;
  }
  return params;
}

/** The first route whose path matches and method fits; `pathMatched` tells a 405 from a 404. */
export function findRoute<R extends { method: string; path: string }>(
  routes: readonly R[],
  method: string,
  path: string,
): { route?: R; params: Record<string, string>; pathMatched: boolean } {
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    pathMatched = true;
    if (route.method === method) return { route, params, pathMatched };
  }
  return { params: {}, pathMatched };
}
