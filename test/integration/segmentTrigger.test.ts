import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cartUpdated, consentGranted, startTestSystem, type TestSystem } from './support/harness';
import { adminRequest, loyaltyMember, saveSegment } from './support/broadcasts';

/** A campaign whose trigger is filtered by a segment: members only start a journey, and each step checks again when due. */
describe('a segment on a campaign’s trigger', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  const shipped = JSON.parse(readFileSync(join(__dirname, '..', '..', 'templates', 'abandoned-cart', 'campaign.json'), 'utf8'));
  const goldCarts = {
    ...shipped,
    id: 'gold-carts',
    name: 'Cart reminder for gold members',
    trigger: { ...shipped.trigger, segment: 'gold-members' },
    steps: [shipped.steps[0]],
  };
  const publish = async (campaign: unknown) => {
    const saved = await adminRequest(app, 'PUT', '/admin/api/campaigns/gold-carts/draft', { revision: 0, parts: campaign });
    return { saved, published: await adminRequest(app, 'POST', '/admin/api/campaigns/gold-carts/draft/publish') };
  };
  const jobOf = async (customerId: string) =>
    (await app.system.customers.listJobs(customerId)).find((j: { campaignId: string }) => j.campaignId === 'gold-carts');

  it('names an unsaved segment as the campaign’s problem', async () => {
    const { saved, published } = await publish(goldCarts);
    expect(saved.body.validation.errors).toEqual([
      { part: 'trigger.segment', message: 'no segment named "gold-members": save it first (PUT /admin/api/segments/{id})' },
    ]);
    expect(published.status).toBe(422);
  });

  it('starts journeys for members only, and skips a step whose customer left the segment before it was due', async () => {
    await saveSegment(app, 'gold-members', [{ fact: 'loyalty.tier', op: 'eq', value: 'gold' }], 'Gold members');
    const current = await adminRequest(app, 'GET', '/admin/api/campaigns/gold-carts/draft');
    const saved = await adminRequest(app, 'PUT', '/admin/api/campaigns/gold-carts/draft', {
      revision: current.body.revision,
      parts: goldCarts,
    });
    expect(saved.body.validation).toMatchObject({ ok: true });
    expect((await adminRequest(app, 'POST', '/admin/api/campaigns/gold-carts/draft/publish')).status).toBe(201);

    const gold = await loyaltyMember(app, { tier: 'gold' });
    const silver = await loyaltyMember(app, { tier: 'silver' });
    const leaves = await loyaltyMember(app, { tier: 'gold' });
    await app.advance('PT1M');
    const now = await app.now();
    await app.postEvents([gold, silver, leaves].flatMap((c) => [consentGranted(c, now), cartUpdated(c, now)]));
    expect(await jobOf(gold.id)).toMatchObject({ status: 'pending' });
    expect(await jobOf(silver.id)).toBeUndefined();
    expect(await jobOf(leaves.id)).toMatchObject({ status: 'pending' });

    // Before the reminder is due, one member drops to silver.
    await app.postEvents([
      {
        id: `down-${leaves.id}`,
        type: 'loyalty.points_changed',
        customerId: leaves.id,
        occurredAt: await app.now(),
        data: { points: 10, tier: 'silver' },
      },
    ]);
    await app.advance('PT1H');
    expect(await jobOf(gold.id)).toMatchObject({ status: 'sent' });
    expect(await jobOf(leaves.id)).toMatchObject({ status: 'skipped', reason: 'not-in-segment', reasonDetail: 'segment:gold-members' });
  });
});
