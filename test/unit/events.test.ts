import { LIMITS, normalizeLocale } from '../../functions/domain/events/events';
import { parseEventBatch, type ParsedBatch } from '../../functions/domain/events/eventBatch';

const valid = (id: string) => ({
  id,
  type: 'customer.upserted',
  customerId: 'c-1',
  occurredAt: '2026-11-22T10:00:00+01:00',
  data: { email: 'ada@example.com', firstName: 'Ada', locale: 'pl-PL', timezone: 'Europe/Warsaw', country: 'pl' },
});

function parsed(body: unknown): ParsedBatch {
  const result = parseEventBatch(body);
  if ('error' in result) throw new Error(result.error.message);
  return result;
}

describe('the shop event contract', () => {
  it('accepts a batch and a single event object alike, normalizing locale and country', () => {
    expect(parsed({ events: [valid('a')] }).accepted).toHaveLength(1);
    const [single] = parsed(valid('b')).accepted;
    expect(single?.type === 'customer.upserted' && single.data).toMatchObject({ locale: 'pl', country: 'PL' });
  });

  it('sorts good and bad events apart, naming each bad field', () => {
    const result = parsed({ events: [valid('a'), { ...valid('b'), data: { ...valid('b').data, email: 'nope' } }, 7] });
    expect(result.accepted.map((e) => e.id)).toEqual(['a']);
    expect(result.rejected).toEqual([
      { id: 'b', errors: [{ path: 'data.email', message: 'must be an email address' }] },
      { index: 2, errors: [expect.objectContaining({ path: '(event)' })] },
    ]);
  });

  it('says which field is missing and which types exist', () => {
    const { rejected } = parsed({
      events: [
        { id: 'x', type: 'cart.updated', customerId: 'c', occurredAt: '2026-11-22T10:00:00Z' },
        { ...valid('y'), type: 'cart.abandoned' },
      ],
    });
    expect(rejected[0]?.errors).toContainEqual({ path: 'data', message: 'is required' });
    expect(rejected[1]?.errors[0]?.message).toMatch(/^must be one of customer\.upserted, consent\.changed, cart\.updated/);
  });

  it('refuses email addresses as customer ids, so none reach keys or logs', () => {
    const { rejected } = parsed({ events: [{ ...valid('a'), customerId: 'ada@example.com' }] });
    expect(rejected[0]?.errors[0]?.path).toBe('customerId');
  });

  it('refuses non-http links, negative prices and dates without a zone', () => {
    const event = {
      id: 'c',
      type: 'cart.updated',
      customerId: 'c',
      occurredAt: '2026-11-22T10:00:00',
      data: { cartUrl: 'javascript:alert(1)', items: [{ sku: 's', name: 'n', price: -1, currency: 'EUR', qty: 1 }] },
    };
    const paths = parsed({ events: [event] }).rejected[0]?.errors.map((e) => e.path);
    expect(paths?.sort()).toEqual(['data.cartUrl', 'data.items[0].price', 'occurredAt']);
  });

  it('keeps an event with an unknown time zone, without the zone, and warns', () => {
    const result = parsed({ events: [{ ...valid('a'), data: { ...valid('a').data, timezone: 'Mars/Olympus' } }] });
    expect(result.accepted).toHaveLength(1);
    expect(result.warnings).toEqual([{ id: 'a', path: 'data.timezone', message: expect.stringContaining('IANA') }]);
    const [event] = result.accepted;
    expect(event?.type === 'customer.upserted' && event.data.timezone).toBeUndefined();
  });

  it('treats the same id twice in one batch as one event', () => {
    expect(parsed({ events: [valid('a'), valid('a')] }).accepted).toHaveLength(1);
  });

  it('enforces the documented batch limits', () => {
    expect(parseEventBatch({ events: [] })).toEqual({ error: { path: 'events', message: 'must hold at least 1 event' } });
    const tooMany = parseEventBatch({ events: Array.from({ length: LIMITS.eventsPerBatch + 1 }, (_, i) => valid(`e${i}`)) });
    expect('error' in tooMany && tooMany.error.path).toBe('events');
    const huge = { ...valid('h'), data: { ...valid('h').data, lastName: 'x'.repeat(LIMITS.eventBytes) } };
    expect(parsed({ events: [huge] }).rejected[0]?.errors[0]?.message).toMatch(/bytes; at most/);
    expect(parseEventBatch('text')).toHaveProperty('error');
  });

  it('falls back to English for unsupported locales', () => {
    expect(normalizeLocale('ru_RU')).toBe('ru');
    expect(normalizeLocale('de')).toBe('en');
    expect(normalizeLocale(undefined)).toBe('en');
  });
});

describe('hostile nesting', () => {
  it('refuses an event nested deeper than the limit without recursing into it', () => {
    const deep = JSON.parse(`{"events":[${'['.repeat(50_000)}${']'.repeat(50_000)}]}`);
    const result = parsed(deep);
    expect(result.rejected[0]).toEqual({
      index: 0,
      errors: [{ path: '(event)', message: `is nested deeper than ${LIMITS.nestingDepth} levels` }],
    });
  });
});
