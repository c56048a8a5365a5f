import { consentGranted, customerUpserted, eventId, newCustomer, type StoredEmail, type TestSystem } from './harness';

/** Helpers for broadcast tests: loyalty members in chosen zones, the admin API, time moved to an instant. */

export const adminRequest = (app: TestSystem, method: string, path: string, body?: unknown) =>
  app.request(method, path, body, { authorization: `Bearer ${app.system.adminKey}` });

export type Member = ReturnType<typeof newCustomer>;

/** A customer who agreed to loyalty news, in `zone`, with a loyalty tier (unless none) and a country. */
export async function loyaltyMember(
  app: TestSystem,
  { zone = 'Europe/Warsaw', tier = 'gold', country = 'PL', locale = 'en' as 'en' | 'pl' | 'ru' } = {},
): Promise<Member> {
  const c = newCustomer(locale);
  const now = await app.now();
  const profile = customerUpserted(c, now);
  Object.assign(profile.data, { timezone: zone, country });
  const events: unknown[] = [profile, consentGranted(c, now, 'loyalty')];
  if (tier !== 'none')
    events.push({ id: eventId('lp'), type: 'loyalty.points_changed', customerId: c.id, occurredAt: now, data: { points: 400, tier } });
  const answer = await app.postEvents(events);
  if (answer.status !== 202) throw new Error(`events: ${answer.status} ${JSON.stringify(answer.body)}`);
  return c;
}

/** Moves the application clock to `iso` (it only moves forward) and runs what became due. */
export async function advanceTo(app: TestSystem, iso: string) {
  const ms = Date.parse(iso) - Date.parse(await app.now());
  if (ms < 0) throw new Error(`the clock is past ${iso} already`);
  return app.advance(`PT${Math.ceil(ms / 1000)}S`);
}

/** The broadcast emails (the loyalty offer) a customer has, leaving out the flows' own. */
export async function offers(app: TestSystem, c: Member): Promise<StoredEmail[]> {
  return (await app.inbox(c.email)).filter((e) => /offer|oferta|предложение/i.test(e.subject));
}

export async function saveSegment(app: TestSystem, id: string, conditions: unknown[], name = id): Promise<void> {
  const saved = await adminRequest(app, 'PUT', `/admin/api/segments/${id}`, { name, match: 'all', conditions });
  if (saved.status !== 200) throw new Error(`segment: ${saved.status} ${JSON.stringify(saved.body)}`);
}

export async function createBroadcast(app: TestSystem, broadcast: Record<string, unknown>): Promise<void> {
  const created = await adminRequest(app, 'POST', '/admin/api/broadcasts', { template: 'loyalty-offer', topic: 'loyalty', ...broadcast });
  if (created.status !== 201) throw new Error(`broadcast: ${created.status} ${JSON.stringify(created.body)}`);
}

export async function status(app: TestSystem, id: string) {
  return (await adminRequest(app, 'GET', `/admin/api/broadcasts/${id}`)).body;
}
