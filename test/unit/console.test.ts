import { emptyCounts } from '../../functions/domain/results/funnel';
import { holdoutLift } from '../../functions/domain/results/lift';
import { reportsPage } from '../../functions/handlers/console/reportPages';
import { IDP_SESSION_SECONDS, issueSession, SESSION_SECONDS, sessionActor } from '../../functions/handlers/console/signIn/session';
import { html } from '../../functions/handlers/console/html';
import type { CampaignReport, FunnelResult } from '../../functions/usecases/campaignReport';

describe('console sessions', () => {
  const key = Buffer.alloc(32, 7);
  const now = 1_800_000_000;
  const accepted = { adminKeys: ['dev-admin'], idp: true };

  it('hold for eight hours under the admin key that signed them in, and say who', () => {
    const session = issueSession(key, { kind: 'key', adminKey: 'dev-admin' }, now);
    expect(sessionActor(session, key, accepted, now + SESSION_SECONDS - 1)).toBe('admin-key');
    expect(sessionActor(session, key, accepted, now + SESSION_SECONDS)).toBeUndefined();
    // Rotating the admin key signs everyone out; a forged expiry or another signing key breaks the signature.
    expect(sessionActor(session, key, { ...accepted, adminKeys: ['rotated'] }, now)).toBeUndefined();
    const [, , nonce, who, mac] = session.split('.');
    expect(sessionActor(`v1.${now + 10 * SESSION_SECONDS}.${nonce}.${who}.${mac}`, key, accepted, now)).toBeUndefined();
    expect(sessionActor(session, Buffer.alloc(32, 8), accepted, now)).toBeUndefined();
  });

  it('name the identity provider’s subject for an hour, and cannot be turned into someone else', () => {
    const session = issueSession(key, { kind: 'idp', subject: 'marketer-1' }, now);
    expect(sessionActor(session, key, accepted, now + IDP_SESSION_SECONDS - 1)).toBe('idp:marketer-1');
    expect(sessionActor(session, key, accepted, now + IDP_SESSION_SECONDS)).toBeUndefined();
    expect(sessionActor(session, key, { ...accepted, idp: false }, now)).toBeUndefined();
    const [v, exp, nonce, , mac] = session.split('.');
    expect(
      sessionActor([v, exp, nonce, Buffer.from('marketer-2').toString('base64url'), mac].join('.'), key, accepted, now),
    ).toBeUndefined();
    expect(sessionActor([v, exp, nonce, 'key', mac].join('.'), key, accepted, now)).toBeUndefined();
  });
});

describe('console markup', () => {
  it('escapes every value and keeps markup it was given', () => {
    expect(html`<p title="${'"x"'}">${'<script>'}${html`<b>ok</b>`}${['a', '&']}</p>`.value).toBe(
      '<p title="&#34;x&#34;">&#60;script&#62;<b>ok</b>a&#38;</p>',
    );
  });
});

describe('the reports page', () => {
  const empty: FunnelResult = {
    counts: emptyCounts(),
    rates: {
      deliveryRate: null,
      bounceRate: null,
      openRate: null,
      clickRate: null,
      clickToOpenRate: null,
      placedOrderRate: null,
      revenuePerRecipient: {},
      optOutRate: null,
      complaintRate: null,
      gmailCeilingReached: false,
    },
    tracking: { trackedRecipients: 0, sentWithoutTracking: 0 },
  };
  const report = (lift: ReturnType<typeof holdoutLift>): CampaignReport => ({
    since: '2026-11-16',
    until: '2026-11-22',
    generatedAt: '2026-11-22T12:00:00Z',
    definitions: {
      recipients: 'delivered',
      openAndClickRecipients: 'delivered with tracking',
      dayOf: 'send',
      gmailSpamRateCeiling: 0.003,
      lift: { confidence: 0.95, interval: 'newcombe-hybrid-score', minimum: { journeysPerGroup: 100, conversions: 10 } },
    },
    campaigns: [
      {
        campaignId: 'c',
        name: 'C',
        totals: empty,
        steps: [],
        variants: [],
        days: [{ day: '2026-11-22', ...empty }],
        rows: [],
        lift,
        variantLift: [],
      },
    ],
  });

  it('states the lift with its interval and sample sizes when there is enough data', () => {
    const lift = holdoutLift({ journeys: 1000, conversions: 120 }, { journeys: 1000, conversions: 80 });
    // Whitespace as a browser reads it: the markup's line breaks are formatting.
    const body = reportsPage({ csrf: 'x' }, report(lift), [], { since: '7d' }).body!.replace(/\s+/g, ' ');
    expect(body).toContain('Recipients: <b data-metric="liftRecipients">120 of 1,000</b> converted (12.0%)');
    const [lower, upper] = [(lift.interval!.lower * 100).toFixed(1), (lift.interval!.upper * 100).toFixed(1)];
    expect(body).toContain(`Difference <b>+4.0 points</b> (95% interval ${lower} to ${upper})`);
    expect(body).toContain('relative lift 50.0% — the emails make a difference');
    expect(body).toContain('aria-label="Lift interval"');
  });

  it('says "not enough data" below the minimum rather than a number', () => {
    const body = reportsPage({ csrf: 'x' }, report(holdoutLift({ journeys: 50, conversions: 9 }, { journeys: 40, conversions: 1 })), [], {
      since: '7d',
    }).body!;
    expect(body).toContain('<b>Not enough data</b>');
    expect(body).not.toContain('Difference');
  });
});
