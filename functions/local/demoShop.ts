import type { ShopEvent } from '../domain/events/events';

/**
 * A small demo shop: three customers (en, pl, ru) who agreed to cart reminders; Emma and Anna also
 * allow open and click tracking, Ivan does not. Event ids are fixed, so seeding a persisted database
 * again changes nothing.
 */
export function demoShopEvents(now: string): ShopEvent[] {
  const customers = [
    {
      id: 'demo-emma',
      email: 'emma@example.com',
      firstName: 'Emma',
      lastName: 'Clarke',
      locale: 'en' as const,
      timezone: 'Europe/London',
      country: 'GB',
    },
    {
      id: 'demo-anna',
      email: 'anna@example.com',
      firstName: 'Anna',
      lastName: 'Kowalska',
      locale: 'pl' as const,
      timezone: 'Europe/Warsaw',
      country: 'PL',
    },
    {
      id: 'demo-ivan',
      email: 'ivan@example.com',
      firstName: 'Иван',
      lastName: 'Петров',
      locale: 'ru' as const,
      timezone: 'Asia/Yerevan',
      country: 'AM',
    },
  ];
  const tracked = new Set(['demo-emma', 'demo-anna']);
  return customers.flatMap((c): ShopEvent[] => [
    {
      id: `seed-${c.id}-profile`,
      type: 'customer.upserted',
      customerId: c.id,
      occurredAt: now,
      data: { email: c.email, firstName: c.firstName, lastName: c.lastName, locale: c.locale, timezone: c.timezone, country: c.country },
    },
    {
      id: `seed-${c.id}-consent`,
      type: 'consent.changed',
      customerId: c.id,
      occurredAt: now,
      data: {
        topic: 'cart_reminders',
        status: 'granted',
        source: 'checkout',
        policyVersion: '2026-01',
        textShown: 'Remind me about items I leave in my cart.',
      },
    },
    ...(tracked.has(c.id)
      ? [
          {
            id: `seed-${c.id}-tracking`,
            type: 'consent.changed' as const,
            customerId: c.id,
            occurredAt: now,
            data: {
              topic: 'tracking' as const,
              status: 'granted' as const,
              source: 'checkout',
              policyVersion: '2026-01',
              textShown: 'Let us see when you open our emails and which links you click.',
            },
          },
        ]
      : []),
  ]);
}
