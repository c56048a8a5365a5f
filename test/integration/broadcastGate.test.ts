import { startTestSystem, type TestSystem } from './support/harness';
import { adminRequest, createBroadcast, loyaltyMember, offers, saveSegment, status } from './support/broadcasts';

/**
 * The parts of the flows' gate the other broadcast tests do not reach: suppression, the personalization
 * level a broadcast requires (basic by default), and variants, each recipient getting the subject of the
 * variant recorded for them (their subjects precompiled when the broadcast is scheduled).
 */
describe('a broadcast through the rest of the gate', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  it('skips a suppressed member and one below its level, and sends each other member one variant', async () => {
    const members = await Promise.all(Array.from({ length: 8 }, () => loyaltyMember(app, { country: 'LT' })));
    await app.advance('PT1M');
    const [bounced, plain, ...others] = members;
    // A hard bounce as the feedback function records it (its path from SES is consent.test.ts's).
    const at = await app.now();
    const suppression = { reason: 'hard-bounce' as const, at, address: bounced!.email, blocksTransactional: true };
    await app.system.customers.updateProfile(bounced!.id, (p) => ({ next: { ...p, suppression }, records: [] }));
    await app.system.customers.updateProfile(plain!.id, (p) => ({ next: { ...p, personalization: 'none' }, records: [] }));

    await saveSegment(app, 'lithuania', [{ fact: 'profile.country', op: 'eq', value: 'LT' }]);
    const sendAt = new Date(Date.parse(await app.now()) + 60_000).toISOString();
    const pointsSubject = 'Your offer: the points are waiting';
    await createBroadcast(app, {
      id: 'lt-offer',
      name: 'Lithuanian offer',
      segment: 'lithuania',
      sendAt,
      variants: [
        { id: 'plain', weight: 1 },
        { id: 'points', weight: 1, subject: { en: pointsSubject } },
      ],
    });
    // A subject that cannot be compiled is refused when scheduling, naming it, not failed at each send.
    const broken = await adminRequest(app, 'POST', '/admin/api/broadcasts', {
      id: 'lt-broken',
      name: 'Broken subject',
      template: 'loyalty-offer',
      topic: 'loyalty',
      segment: 'lithuania',
      sendAt,
      variants: [{ id: 'bad', weight: 1, subject: { en: 'Hello {{#if customer.firstName}}' } }],
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.path).toBe('variants[0].subject.en');
    await app.advance('PT2M');

    expect(await status(app, 'lt-offer')).toMatchObject({
      state: 'done',
      audience: 8,
      sent: 6,
      skipped: 2,
      skippedBy: { suppressed: 1, level: 1 },
    });
    expect(await offers(app, bounced!)).toHaveLength(0);
    expect(await offers(app, plain!)).toHaveLength(0);
    for (const c of others) {
      const emails = await offers(app, c);
      expect(emails).toHaveLength(1);
      const [entry] = (await app.system.customers.listLog(c.id)).filter((e) => e.campaignId === 'lt-offer');
      expect(entry).toMatchObject({ outcome: 'sent', variant: expect.stringMatching(/^(plain|points)$/) });
      // The variant recorded is the one the member read.
      expect(emails[0]!.subject === pointsSubject).toBe(entry!.variant === 'points');
    }
    const report = await adminRequest(app, 'GET', '/admin/api/reports?campaign=lt-offer');
    const [row] = report.body.campaigns;
    const sentByVariant = (row.variants as { variant: string; counts: { sent: number } }[]).map((v) => [v.variant, v.counts.sent]);
    expect(sentByVariant.every(([v]) => v === 'plain' || v === 'points')).toBe(true);
    expect(sentByVariant.reduce((n, [, sent]) => n + Number(sent), 0)).toBe(6);
  });
});
