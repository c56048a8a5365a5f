import { languageName } from '../../domain/wording/languages';
import type { HttpResponse } from '../http';
import { MARKETING_TOPICS, SUPPORTED_LOCALES } from '../../domain/events/topics';
import { reasonWords, topicWords } from '../../domain/wording/outcomes';
import type { Segment } from '../../domain/segments/facts';
import type { BroadcastStatus } from '../../usecases/broadcasts/schedule';
import { csrfField, html, may, page, timeFor, type Html, type PageContext } from './html';

/**
 * Broadcast pages: the list with each one's progress, the form that schedules one (publishers), and a
 * broadcast's progress — audience, sent, queued, held out, skipped by reason, its waves — with cancel
 * and a test send. Times in the shop's zone, named; states and reasons in words.
 */

const STATE_WORDS: Record<BroadcastStatus['state'], string> = {
  scheduled: 'Scheduled: nobody has been reached yet',
  sending: 'Sending',
  done: 'Done: everyone it was for got it or was skipped',
  cancelled: 'Cancelled: nothing more is sent',
};

const count = (n: number): string => n.toLocaleString('en');

/** When it goes, in words: "10:00 on 1 December 2026 in each recipient's own time zone", or a time in the shop's zone. */
export function whenWords(ctx: PageContext, sendAt: BroadcastStatus['sendAt']): string {
  if (typeof sendAt === 'string') return timeFor(ctx, sendAt);
  const day = new Date(`${sendAt.date}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return `${sendAt.localTime} on ${day} in each recipient's own time zone (the shop's, ${ctx.zone ?? 'UTC'}, when theirs is unknown)`;
}

export function broadcastsPage(ctx: PageContext, broadcasts: BroadcastStatus[]): HttpResponse {
  return page(
    'Broadcasts',
    ctx,
    html`<h1>Broadcasts</h1>
      <p>One email to a segment, at a time you choose or at a local time in each recipient's own zone.</p>
      ${may(ctx, 'publisher') ? html`<p><a class="button" href="/admin/broadcasts/new">New broadcast</a></p>` : ''}
      ${
        broadcasts.length
          ? html`<table class="stack">
              <thead>
                <tr>
                  <th scope="col">Broadcast</th>
                  <th scope="col">When</th>
                  <th scope="col">State</th>
                  <th scope="col" class="num">Sent</th>
                  <th scope="col" class="num">Audience</th>
                </tr>
              </thead>
              <tbody>
                ${broadcasts.map(
                  (b) =>
                    html`<tr>
                      <td><a href="/admin/broadcasts/${encodeURIComponent(b.id)}">${b.name}</a></td>
                      <td>${whenWords(ctx, b.sendAt)}</td>
                      <td>${STATE_WORDS[b.state].split(':')[0]}</td>
                      <td class="num">${count(b.sent)}</td>
                      <td class="num">${count(b.audience)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p class="muted">No broadcast yet.</p>`
      }`,
  );
}

export interface BroadcastFormValues {
  id: string;
  name: string;
  template: string;
  topic: string;
  segment: string;
  when: 'local' | 'instant';
  localTime: string;
  date: string;
  instant: string;
  throttlePerSecond: string;
  holdoutPercent: string;
  whenQuiet: 'hold' | 'skip';
}

export const EMPTY_BROADCAST_FORM: BroadcastFormValues = {
  id: '',
  name: '',
  template: 'loyalty-offer',
  topic: 'loyalty',
  segment: '',
  when: 'local',
  localTime: '10:00',
  date: '',
  instant: '',
  throttlePerSecond: '',
  holdoutPercent: '0',
  whenQuiet: 'hold',
};

/** The form that schedules a broadcast; `error` names the field the server refused, beside it. */
export function newBroadcastPage(
  ctx: PageContext,
  values: BroadcastFormValues,
  choices: { templates: string[]; segments: Segment[] },
  error?: { path: string; message: string },
): HttpResponse {
  const schedule = html`<p><button type="submit">Schedule</button></p>`;
  const at = (path: string): Html =>
    error && (error.path === path || error.path.startsWith(`${path}.`))
      ? html`<span class="error" id="${path}-error">${error.message}</span>`
      : html``;
  const invalid = (path: string): Html =>
    error && (error.path === path || error.path.startsWith(`${path}.`))
      ? html` aria-invalid="true" aria-describedby="${path}-error"`
      : html``;
  const option = (value: string, label: string, current: string) =>
    html`<option value="${value}" ${value === current ? html`selected` : ''}>${label}</option>`;
  const other =
    error &&
    !['id', 'name', 'template', 'topic', 'segment', 'sendAt', 'throttlePerSecond', 'holdout'].some((p) => error.path.startsWith(p));
  return page(
    'New broadcast',
    ctx,
    html`<p><a href="/admin/broadcasts">All broadcasts</a></p>
      <h1>New broadcast</h1>
      ${other ? html`<p class="alert" role="alert">${error!.path}: ${error!.message}</p>` : ''}
      ${
        choices.segments.length === 0
          ? html`<p class="alert" role="alert">
              Save a segment first: a broadcast goes to one. <a href="/admin/segments/new">New segment</a>
            </p>`
          : ''
      }
      <form method="post" action="/admin/broadcasts/new" class="card">
        ${csrfField(ctx.csrf)}
        <label for="id">Id (lowercase letters, digits and dashes)</label>
        <input id="id" name="id" value="${values.id}" required${invalid('id')} />${at('id')}
        <label for="name">Name (customers see it on the page that says why they got it)</label>
        <input id="name" name="name" value="${values.name}" required${invalid('name')} />${at('name')}
        <label for="segment">Segment</label>
        <select id="segment" name="segment"${invalid('segment')}>
          ${choices.segments.map((s) => option(s.id, s.name, values.segment))}
        </select>
        ${at('segment')}
        <label for="template">Template</label>
        <select id="template" name="template"${invalid('template')}>
          ${choices.templates.map((t) => option(t, t, values.template))}
        </select>
        ${at('template')}
        <label for="topic">Topic (recipients must have agreed to it when it is sent)</label>
        <select id="topic" name="topic"${invalid('topic')}>
          ${MARKETING_TOPICS.map((t) => option(t, topicWords(t), values.topic))}
        </select>
        ${at('topic')}
        <fieldset>
          <legend>When</legend>
          <label
            ><input type="radio" name="when" value="local" ${values.when === 'local' ? html`checked` : ''} /> At a local time in each
            recipient's own zone</label
          >
          <label for="localTime">Local time</label>
          <input id="localTime" name="localTime" type="time" value="${values.localTime}"${invalid('sendAt')} />
          <label for="date">On</label>
          <input id="date" name="date" type="date" value="${values.date}"${invalid('sendAt')} />
          <label><input type="radio" name="when" value="instant" ${values.when === 'instant' ? html`checked` : ''} /> At one moment</label>
          <label for="instant">At (in ${ctx.zone ?? 'UTC'})</label>
          <input id="instant" name="instant" type="datetime-local" value="${values.instant}"${invalid('sendAt')} />
          ${at('sendAt')}
        </fieldset>
        <label for="whenQuiet">Recipients inside quiet hours</label>
        <select id="whenQuiet" name="whenQuiet">
          ${option('hold', 'get it when their quiet hours end', values.whenQuiet)}${option('skip', 'do not get it', values.whenQuiet)}
        </select>
        <label for="throttlePerSecond">At most this many emails a second (optional; never above what SES allows)</label>
        <input id="throttlePerSecond" name="throttlePerSecond" inputmode="numeric" value="${values.throttlePerSecond}"${invalid(
          'throttlePerSecond',
        )} />
        ${at('throttlePerSecond')}
        <label for="holdoutPercent">Held out, to measure its effect (percent of the audience)</label>
        <input id="holdoutPercent" name="holdoutPercent" inputmode="numeric" value="${values.holdoutPercent}"${invalid('holdout')} />
        ${at('holdout')}
        ${may(ctx, 'publisher') ? schedule : html`<p class="muted">Scheduling needs a publisher.</p>`}
      </form>`,
    error ? 400 : 200,
  );
}

export function broadcastPage(ctx: PageContext, b: BroadcastStatus, segmentName: string | undefined): HttpResponse {
  const open = b.state === 'scheduled' || b.state === 'sending';
  const stat = (label: string, value: number, metric: string) =>
    html`<div class="stat">
      <span>${label}</span><b data-metric="${metric}">${count(value)}</b>
    </div>`;
  const reasons = Object.entries(b.skippedBy).filter(([, n]) => (n ?? 0) > 0);
  return page(
    `Broadcast ${b.name}`,
    ctx,
    html`<p><a href="/admin/broadcasts">All broadcasts</a></p>
      <h1>${b.name}</h1>
      <p data-state="${b.state}"><strong>${STATE_WORDS[b.state]}</strong></p>
      <dl class="card">
        <dt>When</dt>
        <dd>${whenWords(ctx, b.sendAt)}</dd>
        <dt>To</dt>
        <dd>
          segment <a href="/admin/segments/${encodeURIComponent(b.segment)}">${segmentName ?? b.segment}</a>, who agreed to
          ${topicWords(b.topic)}
        </dd>
        <dt>Template</dt>
        <dd>${b.template}</dd>
        <dt>Scheduled</dt>
        <dd>${timeFor(ctx, b.createdAt)} by ${b.createdBy}</dd>
        ${b.cancelledAt ? html`<dt>Cancelled</dt><dd>${timeFor(ctx, b.cancelledAt)} by ${b.cancelledBy ?? ''}</dd>` : ''}
        ${b.nextWaveAt ? html`<dt>Next zone starts</dt><dd>${timeFor(ctx, b.nextWaveAt)}</dd>` : ''}
      </dl>
      <h2>Progress</h2>
      <div class="grid">
        ${stat('In the audience so far', b.audience, 'audience')} ${stat('Sent', b.sent, 'sent')}
        ${stat('Waiting to send', b.queued, 'queued')}
        ${stat('Held out', b.heldOut, 'heldOut')} ${stat('Not sent', b.skipped, 'skipped')} ${stat('Failed', b.failed, 'failed')}
      </div>
      ${
        reasons.length
          ? html`<h3>Not sent, by reason</h3>
              <table class="stack">
                <thead>
                  <tr>
                    <th scope="col">Why</th>
                    <th scope="col" class="num">Recipients</th>
                  </tr>
                </thead>
                <tbody>
                  ${reasons.map(
                    ([reason, n]) =>
                      html`<tr data-reason="${reason}">
                        <td>${reasonWords(reason)}</td>
                        <td class="num">${count(n ?? 0)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
          : ''
      }
      ${
        b.waves.length
          ? html`<h3>Zones reached</h3>
              <ul>
                ${b.waves.map((w) => html`<li>${timeFor(ctx, w.at)}: ${count(w.targeted)} in the audience${w.done ? '' : ' so far'}</li>`)}
              </ul>`
          : ''
      }
      ${
        open && may(ctx, 'publisher')
          ? html`<h2>Cancel</h2>
              <form method="post" action="/admin/broadcasts/${encodeURIComponent(b.id)}/cancel" class="card">
                ${csrfField(ctx.csrf)}
                <p>Stops everything not yet sent, within seconds. It cannot be undone.</p>
                <button type="submit" class="secondary">Cancel this broadcast</button>
              </form>`
          : ''
      }
      ${
        may(ctx, 'editor')
          ? html`<h2>Test send</h2>
              <form method="post" action="/admin/broadcasts/${encodeURIComponent(b.id)}/test-send" class="card">
                ${csrfField(ctx.csrf)}
                <label for="to">To</label>
                <input id="to" name="to" type="email" required autocomplete="email" />
                <label for="locale">Language</label>
                <select id="locale" name="locale">
                  ${SUPPORTED_LOCALES.map((l) => html`<option value="${l}">${languageName(l)}</option>`)}
                </select>
                <button type="submit">Send a test</button>
              </form>`
          : ''
      }
      <p><a href="/admin/reports">Results</a> show its opens, clicks, opt-outs and holdout lift like a campaign's.</p>`,
  );
}
