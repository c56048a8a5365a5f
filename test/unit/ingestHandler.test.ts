import type { EventPublisher } from '../../functions/adapters/bus/eventPublisher';
import type { BusEvent } from '../../functions/domain/events/events';
import { LIMITS } from '../../functions/domain/events/events';
import { makeIngestHandler } from '../../functions/handlers/ingestHandler';
import type { HttpRequest } from '../../functions/handlers/http';

const event = {
  id: 'e1',
  type: 'loyalty.points_changed',
  customerId: 'c1',
  occurredAt: '2026-11-22T10:00:00Z',
  data: { points: 10, tier: 'gold' },
};

function request(body: string, headers: Record<string, string> = {}): HttpRequest {
  return {
    headers: { 'content-type': 'application/json', 'x-api-key': 'k1', ...headers },
    body,
    isBase64Encoded: false,
  } as unknown as HttpRequest;
}

function setup(publish: (events: BusEvent[]) => Promise<void> = async () => undefined) {
  const published: BusEvent[] = [];
  const publisher: EventPublisher = {
    publish: async (events) => {
      await publish(events);
      published.push(...events);
    },
  };
  return { handler: makeIngestHandler({ publisher, apiKeys: async () => ['k1', 'k2'] }), published };
}

describe('POST /events', () => {
  it('refuses a missing or wrong API key with 401', async () => {
    const { handler, published } = setup();
    expect((await handler(request(JSON.stringify(event), { 'x-api-key': 'nope' }))).statusCode).toBe(401);
    const noKey = request(JSON.stringify(event));
    delete (noKey.headers as Record<string, string>)['x-api-key'];
    expect((await handler(noKey)).statusCode).toBe(401);
    expect(published).toHaveLength(0);
  });

  it('accepts any configured key and answers 202 with the accepted ids', async () => {
    const { handler, published } = setup();
    const response = await handler(request(JSON.stringify({ events: [event] }), { 'x-api-key': 'k2' }));
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body as string)).toEqual({ accepted: ['e1'], rejected: [] });
    expect(published.map((e) => e.id)).toEqual(['e1']);
  });

  it('answers 400 naming the problem when nothing is valid, and publishes nothing', async () => {
    const { handler, published } = setup();
    const notJson = await handler(request('{'));
    expect(notJson.statusCode).toBe(400);
    expect(JSON.parse(notJson.body as string)).toEqual({ error: { path: '(body)', message: 'is not valid JSON' } });
    const allBad = await handler(request(JSON.stringify({ events: [{ ...event, data: {} }] })));
    expect(allBad.statusCode).toBe(400);
    expect(JSON.parse(allBad.body as string).rejected[0].errors.map((e: { path: string }) => e.path)).toEqual(['data.points', 'data.tier']);
    expect(published).toHaveLength(0);
  });

  it('answers 415 to a body that is not JSON and 413 over the size limit', async () => {
    const { handler } = setup();
    expect((await handler(request('x', { 'content-type': 'text/plain' }))).statusCode).toBe(415);
    const tooLarge = await handler(request(' '.repeat(LIMITS.bodyBytes + 1)));
    expect(tooLarge.statusCode).toBe(413);
    expect(JSON.parse(tooLarge.body as string).error.message).toContain(String(LIMITS.bodyBytes));
  });

  it('answers 503 with Retry-After when the bus does not take the events, so the shop resends', async () => {
    const { handler } = setup(async () => {
      throw new Error('bus down');
    });
    const response = await handler(request(JSON.stringify(event)));
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
  });
});
