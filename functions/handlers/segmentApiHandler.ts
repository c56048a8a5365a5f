import type { Principal, Role } from '../domain/authoring/roles';
import { describeSegment } from '../domain/segments/describe';
import { segmentSchema } from '../domain/segments/segment';
import { previewSavedSegment, saveSegment, type Audience, type SaveSegmentDeps, type SegmentDefinitions } from '../usecases/segments';
import { parseWith } from './bodySchema';
import { json, parseJsonBody, problem, type HttpRequest, type HttpResponse } from './http';

/**
 * Segments in the admin API (docs/segments.md; the caller's role is checked by adminApiHandler.ts):
 *   GET /admin/api/segments                  every saved segment, each with its sentence
 *   GET /admin/api/segments/{id}             one segment
 *   PUT /admin/api/segments/{id}             the segment → 200 {id, validation, description}; 400 naming the field
 *   GET /admin/api/segments/{id}/preview     200 {count, sample: [{customerId, matched: […]}]}
 */
export interface SegmentApiDeps extends SaveSegmentDeps {
  segments: SegmentDefinitions;
  audience: Audience;
  config: { defaultTimeZone: string };
  principal: Principal;
}

export interface SegmentRoute {
  method: 'GET' | 'PUT';
  path: string;
  role: Role;
  handle: (request: HttpRequest, params: Record<string, string>, deps: SegmentApiDeps) => Promise<HttpResponse>;
}

const SEGMENT_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const badId = (): HttpResponse => problem(400, 'id', 'must be lowercase letters, digits and dashes, at most 64');

async function put(request: HttpRequest, id: string, deps: SegmentApiDeps): Promise<HttpResponse> {
  const raw = parseJsonBody(request);
  if ('response' in raw) return raw.response;
  const body = raw.value;
  // The path names the segment; a body without an id takes it, one with another id is a mistake.
  const withId = body && typeof body === 'object' && !Array.isArray(body) && !('id' in body) ? { ...body, id } : body;
  const parsed = parseWith(segmentSchema, withId);
  if ('response' in parsed) return parsed.response;
  if (parsed.value.id !== id) return problem(400, 'id', `is "${parsed.value.id}" but the path names "${id}"`);
  return json(200, await saveSegment(parsed.value, deps.principal, deps));
}

export const SEGMENT_ROUTES: readonly SegmentRoute[] = [
  {
    method: 'GET',
    path: '/admin/api/segments',
    role: 'viewer',
    handle: async (_, __, deps) =>
      json(200, { segments: (await deps.segments.list()).map((s) => ({ ...s, sentence: describeSegment(s) })) }),
  },
  {
    method: 'GET',
    path: '/admin/api/segments/{segmentId}',
    role: 'viewer',
    handle: async (_, { segmentId }, deps) => {
      if (!SEGMENT_ID.test(segmentId!)) return badId();
      const segment = await deps.segments.get(segmentId!);
      return segment ? json(200, { ...segment, sentence: describeSegment(segment) }) : problem(404, 'id', `no segment named ${segmentId}`);
    },
  },
  {
    method: 'PUT',
    path: '/admin/api/segments/{segmentId}',
    role: 'editor',
    handle: (request, { segmentId }, deps) => (SEGMENT_ID.test(segmentId!) ? put(request, segmentId!, deps) : Promise.resolve(badId())),
  },
  {
    method: 'GET',
    path: '/admin/api/segments/{segmentId}/preview',
    role: 'viewer',
    handle: async (_, { segmentId }, deps) => {
      if (!SEGMENT_ID.test(segmentId!)) return badId();
      return json(200, await previewSavedSegment(segmentId!, { ...deps, timeZone: deps.config.defaultTimeZone }));
    },
  },
];
