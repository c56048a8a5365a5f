import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpHandler, HttpRequest, HttpResponse } from '../handlers/http';
import { findRoute, problem } from '../handlers/http';
import { logger } from '../shared/logger';
import { toErrorContext } from '../shared/errors';

/** The local stand-in for API Gateway: routes to the same handlers, in the same request/response shape. */

export interface Route {
  method: string;
  /** Literal segments, `{name}` parameters and a final greedy `{name+}`, as in API Gateway route keys. */
  path: string;
  handler: HttpHandler;
}

/** Read limit: larger than the ingest limit so the handler, not the socket, answers 413 with its message. */
const MAX_BODY_BYTES = 1024 * 1024;

class MalformedPathError extends Error {
  override name = 'MalformedPathError';
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new MalformedPathError('the path is not valid percent-encoding');
  }
}

function matchRoute(routes: Route[], method: string, path: string): ReturnType<typeof findRoute<Route>> {
  for (const segment of path.split('/')) safeDecode(segment);
  return findRoute(routes, method, path);
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function toRequest(req: IncomingMessage, url: URL, body: Buffer, routeKey: string, params: Record<string, string>): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers))
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(',') : value;
  const now = Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters: params,
    cookies: req.headers.cookie?.split(/;\s*/),
    body: body.length ? body.toString('utf8') : undefined,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: req.headers['user-agent'] ?? '',
      },
      requestId: `local-${now}`,
      routeKey,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
  };
}

function write(res: ServerResponse, response: HttpResponse): void {
  // API Gateway (payload v2) turns `cookies` into Set-Cookie headers; so does this.
  if (response.cookies?.length) res.setHeader('set-cookie', response.cookies);
  res.writeHead(response.statusCode, response.headers);
  res.end(response.body ?? '');
}

export function createHttpServer(routes: Route[]): Server {
  return createServer((req, res) => {
    // Paths can carry tokens: logs name the route, never the path.
    let routeKey = 'unmatched';
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      const method = req.method ?? 'GET';
      let matched: ReturnType<typeof matchRoute>;
      try {
        matched = matchRoute(routes, method, url.pathname);
      } catch (error) {
        req.resume();
        if (error instanceof MalformedPathError) return write(res, problem(400, '(path)', error.message));
        throw error;
      }
      const { route, params, pathMatched } = matched;
      if (!route) {
        req.resume();
        return write(
          res,
          pathMatched ? problem(405, '(method)', `${method} is not allowed here`) : problem(404, '(path)', `nothing at ${url.pathname}`),
        );
      }
      routeKey = `${route.method} ${route.path}`;
      const body = await readBody(req);
      if (body === 'too-large')
        return write(res, problem(413, '(body)', `is larger than ${MAX_BODY_BYTES} bytes`, { connection: 'close' }));
      const response = await route.handler(toRequest(req, url, body, routeKey, params));
      write(res, response);
    })().catch((error: unknown) => {
      logger.error('request failed', { routeKey, ...toErrorContext(error) });
      if (!res.headersSent) write(res, problem(500, '(server)', 'internal error'));
      else res.destroy();
    });
  });
}

export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
