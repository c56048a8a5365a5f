import { z } from 'zod';
import { type DraftKind } from '../adapters/dynamo/authoringStore';
import { campaignPartsSchema, draftBodySchema, templatePartsSchema } from '../domain/authoring/draftParts';
import { isName, NAME_RULE } from '../domain/authoring/safeKeys';
import type { Principal, Role } from '../domain/authoring/roles';
import {
  approvePublish,
  campaignDraft,
  campaignHistory,
  pauseCampaign,
  publishCampaignDraft,
  publishTemplateDraft,
  resumeCampaign,
  rollbackCampaign,
  saveCampaignDraft,
  saveTemplateDraft,
  templateDraft,
  type AuthoringDeps,
  type PublishAnswer,
} from '../usecases/authoring';
import { json, parseJsonBody, problem, type HttpRequest, type HttpResponse } from './http';
import { parseWith } from './bodySchema';

/**
 * Drafts, campaign versions, approvals, pause and resume in the admin API (the contract of
 * docs/authoring.md; the caller's role is checked by the route table in adminApiHandler.ts):
 *   GET  /admin/api/templates/{name}/draft            the draft (or the published version as a new one), validated
 *   PUT  /admin/api/templates/{name}/draft            {revision?, parts}: save (409 on a stale revision)
 *   POST /admin/api/templates/{name}/draft/publish    201 {version}; 422 {validation}; 202 when approval is required
 *   POST /admin/api/templates/{name}/draft/approve    a second publisher publishes what was asked
 *   GET|PUT /admin/api/campaigns/{id}/draft, POST …/draft/publish, …/draft/approve   the same for campaigns
 *   GET  /admin/api/campaigns/{id}/versions           kept versions and the one running
 *   POST /admin/api/campaigns/{id}/rollback           {version}: run a kept version again
 *   POST /admin/api/campaigns/{id}/pause, /resume     200 {campaignId, paused}
 *   GET  /admin/api/changes                           the change log, newest first
 */

export type ActingDeps = AuthoringDeps & { principal: Principal };
type Params = Record<string, string>;
export interface AuthoringRoute {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  role: Role;
  handle: (request: HttpRequest, params: Params, deps: ActingDeps) => Promise<HttpResponse>;
}

function named(kind: DraftKind, params: Params): string | HttpResponse {
  const name = (kind === 'template' ? params['name'] : params['campaignId']) ?? '';
  return isName(name) ? name : problem(400, kind === 'template' ? 'name' : 'campaignId', NAME_RULE);
}

async function body<T>(request: HttpRequest, schema: z.ZodType<T>): Promise<{ value: T } | { response: HttpResponse }> {
  const raw = parseJsonBody(request);
  if ('response' in raw) return raw;
  return parseWith(schema, raw.value);
}

const templateBody = draftBodySchema(templatePartsSchema);
const campaignBody = draftBodySchema(campaignPartsSchema);
const rollbackBody = z.object({ version: z.number().int().min(1) }).strict();
/** Optional: what this publish changes, in the publisher's words; kept with the version. */
const publishBody = z.object({ note: z.string().trim().max(500, 'must be at most 500 characters').optional() }).strict();

function published(answer: PublishAnswer): HttpResponse {
  return 'awaitingApproval' in answer ? json(202, answer) : json(201, answer);
}

function draftRoutes(kind: DraftKind, base: string): AuthoringRoute[] {
  const partsSchema = kind === 'template' ? templateBody : campaignBody;
  return [
    {
      method: 'GET',
      path: `${base}/draft`,
      role: 'viewer',
      handle: async (_, params, deps) => {
        const name = named(kind, params);
        if (typeof name !== 'string') return name;
        return json(200, kind === 'template' ? await templateDraft(name, deps) : await campaignDraft(name, deps));
      },
    },
    {
      method: 'PUT',
      path: `${base}/draft`,
      role: 'editor',
      handle: async (request, params, deps) => {
        const name = named(kind, params);
        if (typeof name !== 'string') return name;
        const wanted = await body(request, partsSchema);
        if ('response' in wanted) return wanted.response;
        const { revision, parts } = wanted.value as { revision?: number; parts: never };
        const saved =
          kind === 'template'
            ? await saveTemplateDraft(name, revision, parts, deps.principal, deps)
            : await saveCampaignDraft(name, revision, parts, deps.principal, deps);
        return json(200, saved);
      },
    },
    {
      method: 'POST',
      path: `${base}/draft/publish`,
      role: 'publisher',
      handle: async (request, params, deps) => {
        const name = named(kind, params);
        if (typeof name !== 'string') return name;
        const parsed = await body(request, publishBody);
        if ('response' in parsed) return parsed.response;
        const note = parsed.value.note || undefined;
        return published(
          kind === 'template'
            ? await publishTemplateDraft(name, deps.principal, deps, note)
            : await publishCampaignDraft(name, deps.principal, deps, note),
        );
      },
    },
    {
      method: 'POST',
      path: `${base}/draft/approve`,
      role: 'publisher',
      handle: async (_, params, deps) => {
        const name = named(kind, params);
        if (typeof name !== 'string') return name;
        return published(await approvePublish(kind, name, deps.principal, deps));
      },
    },
  ];
}

export const AUTHORING_ROUTES: readonly AuthoringRoute[] = [
  ...draftRoutes('template', '/admin/api/templates/{name}'),
  ...draftRoutes('campaign', '/admin/api/campaigns/{campaignId}'),
  {
    method: 'GET',
    path: '/admin/api/campaigns/{campaignId}/versions',
    role: 'viewer',
    handle: async (_, params, deps) => {
      const id = named('campaign', params);
      return typeof id === 'string' ? json(200, await campaignHistory(id, deps)) : id;
    },
  },
  {
    method: 'POST',
    path: '/admin/api/campaigns/{campaignId}/rollback',
    role: 'publisher',
    handle: async (request, params, deps) => {
      const id = named('campaign', params);
      if (typeof id !== 'string') return id;
      const wanted = await body(request, rollbackBody);
      if ('response' in wanted) return wanted.response;
      return json(200, await rollbackCampaign(id, wanted.value.version, deps.principal, deps));
    },
  },
  ...(['pause', 'resume'] as const).map((action): AuthoringRoute => ({
    method: 'POST',
    path: `/admin/api/campaigns/{campaignId}/${action}`,
    role: 'publisher',
    handle: async (_, params, deps) => {
      const id = named('campaign', params);
      if (typeof id !== 'string') return id;
      return json(200, action === 'pause' ? await pauseCampaign(id, deps.principal, deps) : await resumeCampaign(id, deps.principal, deps));
    },
  })),
  {
    method: 'GET',
    path: '/admin/api/changes',
    role: 'viewer',
    handle: async (_, __, deps) =>
      json(200, {
        changes: (await deps.changes.changes()).map(({ at, actor, action, subject, summary }) => ({ at, actor, action, subject, summary })),
      }),
  },
];
