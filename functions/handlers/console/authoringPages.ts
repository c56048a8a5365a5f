import type { ChangeEntry } from '../../adapters/dynamo/adminStore';
import type { HttpResponse } from '../http';
import { csrfField, html, may, page, timeFor, type PageContext } from './html';

/** What each change-log action reads as. */
const ACTION_WORDS: Record<ChangeEntry['action'], string> = {
  'draft-saved': 'Draft saved',
  published: 'Published',
  'publish-requested': 'Asked to publish',
  approved: 'Approved',
  'rolled-back': 'Rolled back',
  paused: 'Paused',
  resumed: 'Resumed',
  'test-send': 'Test send',
  'signed-out-everyone': 'Signed everyone out',
  'segment-saved': 'Segment saved',
  'broadcast-created': 'Broadcast scheduled',
  'broadcast-cancelled': 'Broadcast cancelled',
};

/** The change log, newest first: who did what, when, to which template or campaign. */
export function changesPage(ctx: PageContext, changes: ChangeEntry[]): HttpResponse {
  return page(
    'Changes',
    { ...ctx, section: 'changes' },
    html`<h1>Changes</h1>
      <table id="changes" class="stack">
        <thead>
          <tr>
            <th>When (${ctx.zone ?? 'UTC'})</th>
            <th>Who</th>
            <th>What</th>
            <th>Of</th>
            <th>Summary</th>
          </tr>
        </thead>
        <tbody>
          ${changes.map(
            (c) =>
              html`<tr>
                <td>${timeFor(ctx, c.at)}</td>
                <td>${c.actor}</td>
                <td>${ACTION_WORDS[c.action] ?? c.action}</td>
                <td>${c.subject.replace(':', ' ')}</td>
                <td>${c.summary}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${changes.length === 0 ? html`<p class="muted">Nothing changed yet.</p>` : ''}
      ${
        may(ctx, 'publisher')
          ? html`<h2>Sessions</h2>
              <section class="card">
                <p>Ends every console session now, yours too: everyone signs in again.</p>
                <form method="post" action="/admin/sign-out-everyone">
                  ${csrfField(ctx.csrf)}<button type="submit" class="secondary">Sign out everyone</button>
                </form>
              </section>`
          : ''
      }`,
  );
}
