import { advanceAfterSend, planJourneys, STALE_TRIGGER_MS } from '../../functions/domain/journeys/journeyPlanner';
import { abandonedCart, at, cartEvent, job, orderEvent, T0 } from './fixtures';

const campaigns = [abandonedCart];

describe('journey planning', () => {
  it('starts a reminder one hour after the cart was updated, keyed by cart', () => {
    const [change] = planJourneys(cartEvent('e1', 0), campaigns, [], at(0));
    expect(change).toMatchObject({
      kind: 'put',
      expectedVersion: null,
      job: { jobId: 'abandoned-cart#cart-1', dueAt: at(60), status: 'pending', instanceId: 'e1' },
    });
  });

  it('a newer update of a pending journey reschedules it, keeping its identity', () => {
    const [change] = planJourneys(cartEvent('e2', 30), campaigns, [job()], at(30));
    expect(change).toMatchObject({ kind: 'put', expectedVersion: 1, job: { dueAt: at(90), instanceId: 'e1', version: 2 } });
  });

  it('ignores an older event that arrives late', () => {
    expect(planJourneys(cartEvent('old', -10), campaigns, [job()], at(5))).toEqual([]);
  });

  it('anchors an event from the future at now', () => {
    const [change] = planJourneys(cartEvent('e1', 120), campaigns, [], at(0));
    expect(change?.job.dueAt).toBe(at(60));
  });

  it('does not start a journey from a stale event', () => {
    expect(planJourneys(cartEvent('e1', 0), campaigns, [], new Date(Date.parse(T0) + STALE_TRIGGER_MS + 1).toISOString())).toEqual([]);
  });

  it('an order for the cart cancels its reminder; an order without a cart cancels them all', () => {
    const jobs = [job(), job({ jobId: 'abandoned-cart#cart-2', journeyKey: 'cart-2' })];
    const forCart = planJourneys(orderEvent('o1', 10, 'cart-1'), campaigns, jobs, at(10));
    expect(forCart.map((c) => [c.kind, c.job.jobId])).toEqual([['cancel', 'abandoned-cart#cart-1']]);
    const forAll = planJourneys(orderEvent('o2', 10), campaigns, jobs, at(10));
    expect(forAll.map((c) => c.job.jobId).sort()).toEqual(['abandoned-cart#cart-1', 'abandoned-cart#cart-2']);
    expect(forAll[0]?.job).toMatchObject({ status: 'cancelled', reason: 'cancelled', reasonDetail: 'order.placed' });
  });

  it('an emptied cart cancels the reminder and starts nothing', () => {
    const changes = planJourneys(cartEvent('e2', 10, 0), campaigns, [job()], at(10));
    expect(changes).toEqual([expect.objectContaining({ kind: 'cancel' })]);
  });

  it('after a sent reminder, the same cart starts again only after the re-entry period', () => {
    const sent = job({ status: 'sent', endedAt: at(60) });
    expect(planJourneys(cartEvent('e3', 120), campaigns, [sent], at(120))).toEqual([]);
    const later = planJourneys(cartEvent('e4', 60 + 24 * 60), campaigns, [sent], at(60 + 24 * 60));
    expect(later[0]).toMatchObject({ kind: 'put', expectedVersion: 1, job: { instanceId: 'e4', status: 'pending' } });
  });

  it('after a cancelled journey, a new cart starts a new instance at once', () => {
    const cancelled = job({ status: 'cancelled', endedAt: at(10), lastEventAt: at(10) });
    expect(planJourneys(cartEvent('e5', 20), campaigns, [cancelled], at(20))[0]?.job.instanceId).toBe('e5');
  });

  it('ends a one-step journey once sent, or moves to the next step of a series', () => {
    const oneStep = { ...abandonedCart, steps: abandonedCart.steps.slice(0, 1) };
    expect(advanceAfterSend(job({ status: 'sending' }), oneStep, at(60))).toMatchObject({ status: 'sent', endedAt: at(60), version: 2 });
    expect(advanceAfterSend(job({ status: 'sending' }), abandonedCart, at(60))).toMatchObject({
      status: 'pending',
      stepIndex: 1,
      stepId: 'reminder-2',
      dueAt: at(24 * 60),
    });
    const last = job({ status: 'sending', stepIndex: 2, stepId: 'reminder-3' });
    expect(advanceAfterSend(last, abandonedCart, at(72 * 60))).toMatchObject({ status: 'sent', endedAt: at(72 * 60) });
  });
});

describe('conditions as data', () => {
  const { holds, eventFacts } = jest.requireActual(
    '../../functions/domain/journeys/conditions',
  ) as typeof import('../../functions/domain/journeys/conditions');
  const ranks = ['bronze', 'silver', 'gold'];
  const loyalty = (tier: string, points: number) => ({
    id: 'l',
    type: 'loyalty.points_changed' as const,
    customerId: 'c1',
    occurredAt: T0,
    data: { tier, points },
  });

  it('rankUp needs a known previous tier and a higher one now', () => {
    expect(
      holds(
        { fact: 'loyalty.tier', op: 'rankUp', value: ranks },
        eventFacts(loyalty('gold', 1), { loyalty: { tier: 'silver', points: 0, at: T0 } }),
      ),
    ).toBe(true);
    expect(
      holds(
        { fact: 'loyalty.tier', op: 'rankUp', value: ranks },
        eventFacts(loyalty('silver', 1), { loyalty: { tier: 'gold', points: 0, at: T0 } }),
      ),
    ).toBe(false);
    expect(holds({ fact: 'loyalty.tier', op: 'rankUp', value: ranks }, eventFacts(loyalty('gold', 1), undefined))).toBe(false);
  });

  it('crossedUp fires only on the crossing; "$fact" compares with another fact', () => {
    const previous = (points: number) => ({ loyalty: { tier: 'bronze', points, at: T0 } });
    expect(holds({ fact: 'loyalty.points', op: 'crossedUp', value: 1000 }, eventFacts(loyalty('bronze', 1200), previous(900)))).toBe(true);
    expect(holds({ fact: 'loyalty.points', op: 'crossedUp', value: 1000 }, eventFacts(loyalty('bronze', 1500), previous(1200)))).toBe(
      false,
    );
    expect(holds({ fact: 'loyalty.tier', op: 'eq', value: '$journey.key' }, { 'loyalty.tier': 'gold', 'journey.key': 'gold' })).toBe(true);
    expect(holds({ fact: 'loyalty.tier', op: 'eq', value: '$journey.key' }, { 'loyalty.tier': 'silver', 'journey.key': 'gold' })).toBe(
      false,
    );
  });

  it('cart value conditions read the event', () => {
    const facts = eventFacts(cartEvent('e', 0, 3), undefined);
    expect(facts['cart.value']).toBe(30);
    expect(holds({ fact: 'cart.value', op: 'gte', value: 25 }, facts)).toBe(true);
  });
});
