import { DateTime } from 'luxon';
import type { HttpResponse } from '../http';
import { allows, lacksRole, type Principal } from '../../domain/authoring/roles';
import { broadcastSchema } from '../../domain/broadcasts/broadcast';
import { fieldErrorsOf } from '../../domain/events/events';
import { segmentSchema, type Segment } from '../../domain/segments/segment';
import { isLocale } from '../../usecases/templates';
import { broadcastStatus, cancelBroadcast, createBroadcast, listBroadcasts } from '../../usecases/broadcasts/schedule';
import { previewSegment, saveSegment, UnknownSegmentError } from '../../usecases/segments';
import { refusalOf } from '../errorAnswers';
import { sendBroadcastTest, type BroadcastApiDeps } from '../broadcastApiHandler';
import { testSendAddress } from '../templateApiHandler';
import { html, page, seeOther, type PageContext } from './html';
import { broadcastPage, broadcastsPage, EMPTY_BROADCAST_FORM, newBroadcastPage, type BroadcastFormValues } from './broadcastPages';
import { formOf, formOfSegment, segmentBuilderPage, segmentOf, segmentsPage, type SegmentForm } from './segmentPages';

/**
 * The console's Segments and Broadcasts sections (routed here by consoleHandler.ts): the builder with
 * its count, and broadcasts' scheduling, progress, cancel and test send. The same use cases as the API.
 */
export type BroadcastConsoleDeps = BroadcastApiDeps & { principal: Principal };

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

function refusedFor(ctx: PageContext, principal: Principal, needs: 'editor' | 'publisher', what: string): HttpResponse | undefined {
  if (allows(principal.role, needs)) return undefined;
  return page(
    'Refused',
    ctx,
    html`<h1>Refused</h1>
      <p>${what} ${lacksRole(principal, needs)}.</p>`,
    403,
  );
}

/** The schema's words for each field of a form's segment ("conditions[0].value": "must be a number"). */
function segmentErrors(candidate: unknown): { segment?: Segment; errors: Record<string, string> } {
  const parsed = segmentSchema.safeParse(candidate);
  if (parsed.success) return { segment: parsed.data, errors: {} };
  return { errors: Object.fromEntries(fieldErrorsOf(parsed.error, '(segment)').map((e) => [e.path, e.message])) };
}

export async function segmentsRoute(
  method: string,
  id: string | undefined,
  form: URLSearchParams,
  ctx: PageContext,
  deps: BroadcastConsoleDeps,
): Promise<HttpResponse | undefined> {
  if (!id && method === 'GET') return segmentsPage(ctx, await deps.segments.list());
  if (!id || (id !== 'new' && !SLUG.test(id))) return undefined;
  const isNew = id === 'new';
  if (method === 'GET') {
    if (isNew) return segmentBuilderPage(ctx, { form: { id: '', name: '', description: '', match: 'all', rows: [] }, isNew, errors: {} });
    const segment = await deps.segments.get(id);
    if (!segment) throw new UnknownSegmentError(id);
    return segmentBuilderPage(ctx, { form: formOfSegment(segment), isNew, errors: {} });
  }
  if (method !== 'POST') return undefined;
  const typed: SegmentForm = formOf(form, isNew ? '' : id);
  const intent = form.get('intent') ?? 'count';
  if (intent === 'add') return segmentBuilderPage(ctx, { form: typed, isNew, errors: {}, blankRow: true });
  if (intent === 'save') {
    const no = refusedFor(ctx, deps.principal, 'editor', 'Saving a segment');
    if (no) return no;
    const { segment, errors } = segmentErrors(segmentOf(typed));
    if (!segment) return segmentBuilderPage(ctx, { form: typed, isNew, errors });
    if (isNew && (await deps.segments.get(segment.id)))
      return segmentBuilderPage(ctx, { form: typed, isNew, errors: { id: `a segment named ${segment.id} exists already` } });
    await saveSegment(segment, deps.principal, deps);
    return seeOther(`/admin/segments/${encodeURIComponent(segment.id)}?notice=segment-saved`);
  }
  // Count: the conditions must be valid; a new segment's id and name need not be yet.
  const candidate = { ...(segmentOf(typed) as object), id: typed.id || 'counting', name: typed.name || 'counting' };
  const { segment, errors } = segmentErrors(candidate);
  if (!segment) return segmentBuilderPage(ctx, { form: typed, isNew, errors });
  const preview = await previewSegment(segment, { ...deps, timeZone: deps.config.defaultTimeZone }, 5);
  return segmentBuilderPage(ctx, { form: typed, isNew, errors: {}, preview });
}

function formValues(form: URLSearchParams): BroadcastFormValues {
  const get = (name: keyof BroadcastFormValues) => (form.get(name) ?? EMPTY_BROADCAST_FORM[name]).trim();
  return {
    id: get('id'),
    name: get('name'),
    template: get('template'),
    topic: get('topic'),
    segment: get('segment'),
    when: form.get('when') === 'instant' ? 'instant' : 'local',
    localTime: get('localTime'),
    date: get('date'),
    instant: get('instant'),
    throttlePerSecond: get('throttlePerSecond'),
    holdoutPercent: get('holdoutPercent'),
    whenQuiet: form.get('whenQuiet') === 'skip' ? 'skip' : 'hold',
  };
}

/** The form as the API's broadcast: an instant typed in the shop's zone becomes one with its offset. */
function broadcastOf(v: BroadcastFormValues, zone: string): unknown {
  const instant = v.instant ? DateTime.fromISO(v.instant, { zone }) : undefined;
  const number = (text: string) => (text === '' ? undefined : Number.isNaN(Number(text)) ? text : Number(text));
  const holdout = number(v.holdoutPercent);
  return {
    id: v.id,
    name: v.name,
    template: v.template,
    topic: v.topic,
    segment: v.segment,
    sendAt: v.when === 'local' ? { localTime: v.localTime, date: v.date } : instant?.isValid ? instant.toISO() : v.instant,
    ...(v.throttlePerSecond ? { throttlePerSecond: number(v.throttlePerSecond) } : {}),
    ...(holdout !== undefined ? { holdout: typeof holdout === 'number' ? holdout / 100 : holdout } : {}),
    whenQuiet: v.whenQuiet,
  };
}

async function choices(deps: BroadcastConsoleDeps) {
  const [pointers, segments] = await Promise.all([deps.catalogStore.listTemplatePointers(), deps.segments.list()]);
  return { templates: pointers.map((p) => p.name), segments };
}

export async function broadcastsRoute(
  method: string,
  id: string | undefined,
  action: string | undefined,
  form: URLSearchParams,
  ctx: PageContext,
  deps: BroadcastConsoleDeps,
): Promise<HttpResponse | undefined> {
  if (!id && method === 'GET') return broadcastsPage(ctx, await listBroadcasts(deps));
  if (id === 'new') {
    const zone = deps.config.defaultTimeZone;
    if (method === 'GET') {
      const tomorrow = DateTime.fromJSDate(deps.clock.now(), { zone }).plus({ days: 1 }).toISODate()!;
      return newBroadcastPage(ctx, { ...EMPTY_BROADCAST_FORM, date: tomorrow }, await choices(deps));
    }
    const no = refusedFor(ctx, deps.principal, 'publisher', 'Scheduling a broadcast');
    if (no) return no;
    const values = formValues(form);
    const parsed = broadcastSchema.safeParse(broadcastOf(values, zone));
    if (!parsed.success) {
      const [first] = fieldErrorsOf(parsed.error, '(broadcast)');
      return newBroadcastPage(ctx, values, await choices(deps), { path: first!.path, message: first!.message });
    }
    try {
      await createBroadcast(parsed.data, deps.principal, deps);
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal || refusal.status >= 500) throw error;
      return newBroadcastPage(ctx, values, await choices(deps), { path: refusal.path, message: refusal.message });
    }
    return seeOther(`/admin/broadcasts/${encodeURIComponent(parsed.data.id)}?notice=broadcast-scheduled`);
  }
  if (!id || !SLUG.test(id)) return undefined;
  if (method === 'GET' && !action) {
    const status = await broadcastStatus(id, deps);
    return broadcastPage(ctx, status, (await deps.segments.get(status.segment))?.name);
  }
  if (method === 'POST' && action === 'cancel') {
    const no = refusedFor(ctx, deps.principal, 'publisher', 'Cancelling a broadcast');
    if (no) return no;
    await cancelBroadcast(id, deps.principal, deps);
    return seeOther(`/admin/broadcasts/${encodeURIComponent(id)}?notice=broadcast-cancelled`);
  }
  if (method === 'POST' && action === 'test-send') {
    const no = refusedFor(ctx, deps.principal, 'editor', 'A test send');
    if (no) return no;
    const to = (form.get('to') ?? '').trim();
    const locale = form.get('locale') ?? 'en';
    if (!testSendAddress.safeParse(to).success || !isLocale(locale)) return seeOther(`/admin/broadcasts/${encodeURIComponent(id)}`);
    const sent = await sendBroadcastTest(id, { to, locale }, deps);
    if ('refused' in sent) {
      return page(
        'Not sent',
        ctx,
        html`<h1>Not sent</h1>
          <p>${sent.refused.message}. <a href="/admin/broadcasts/${encodeURIComponent(id)}">Back</a></p>`,
        sent.refused.status,
      );
    }
    return seeOther(`/admin/broadcasts/${encodeURIComponent(id)}?notice=test-sent`);
  }
  return undefined;
}
