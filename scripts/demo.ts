/**
 * `npm run demo` (with `npm start` running): a day in a small shop — customers in three languages,
 * carts left and bought, a loyalty upgrade — then the clock moves on and the emails go out. Prints
 * what was sent and skipped, per campaign; the emails are in the local inbox. Then it plays SES: every
 * email delivered, some opened and clicked (POST /dev/ses-events), and one customer buys after a
 * reminder, so `npx tactful report` shows a whole funnel.
 *   TACTFUL_URL (http://127.0.0.1:3000), TACTFUL_API_KEY (dev-key), TACTFUL_ADMIN_KEY (dev-admin), SES_URL (http://127.0.0.1:8005)
 */
import { tactfulRequest } from './cli/adminClient';
import { describeDueWork } from '../functions/local/dueWorkReport';

/** The demo shop's zone: times in what the demo prints are read there. */
const SHOP_ZONE = process.env['DEFAULT_TIME_ZONE'] ?? 'Europe/Warsaw';

const run = Date.now().toString(36);

// The demo reads a few fields of the API's answers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a script that prints what the API answers, untyped on purpose
const call = (method: 'GET' | 'POST', path: string, body?: unknown, admin = false): Promise<any> =>
  tactfulRequest(method, path, body, admin ? 'admin' : 'shop');

let n = 0;
const event = (type: string, customerId: string, at: string, data: unknown) => ({
  id: `demo-${run}-${++n}`,
  type,
  customerId,
  occurredAt: at,
  data,
});

const people = [
  { id: 'grace', name: 'Grace', locale: 'en', tz: 'Europe/London', country: 'GB', tier: 'gold' },
  { id: 'oliver', name: 'Oliver', locale: 'en', tz: 'America/New_York', country: 'US', tier: 'bronze' },
  { id: 'zofia', name: 'Zofia', locale: 'pl', tz: 'Europe/Warsaw', country: 'PL', tier: 'silver' },
  { id: 'piotr', name: 'Piotr', locale: 'pl', tz: 'Europe/Warsaw', country: 'PL', tier: 'bronze' },
  { id: 'olga', name: 'Ольга', locale: 'ru', tz: 'Asia/Yerevan', country: 'AM', tier: 'silver' },
  { id: 'dmitri', name: 'Дмитрий', locale: 'ru', tz: 'Asia/Almaty', country: 'KZ', tier: 'bronze' },
];
const products = [
  { sku: 'MUG-BLUE', name: 'Blue mug', price: 12.5 },
  { sku: 'TEA-GREEN', name: 'Green tea, 100 g', price: 7 },
  { sku: 'LAMP-DESK', name: 'Desk lamp', price: 49 },
];

async function main(): Promise<void> {
  const { now } = await call('GET', '/dev/clock');
  const currency = (locale: string) => (locale === 'pl' ? 'PLN' : locale === 'ru' ? 'RUB' : 'EUR');
  const ids = people.map((p) => ({ ...p, customerId: `demo-${p.id}-${run}` }));
  // Every other customer allows open and click tracking: the report counts opens among those only.
  const events = ids.flatMap((p, i) => [
    event('customer.upserted', p.customerId, now, {
      email: `${p.id}.${run}@example.com`,
      firstName: p.name,
      locale: p.locale,
      timezone: p.tz,
      country: p.country,
    }),
    ...['cart_reminders', 'loyalty', 'newsletter', ...(i % 2 === 0 ? ['tracking'] : [])].map((topic) =>
      event('consent.changed', p.customerId, now, { topic, status: 'granted', source: 'checkout', policyVersion: '2026-01' }),
    ),
    event('loyalty.points_changed', p.customerId, now, { points: 200, tier: p.tier }),
  ]);
  await call('POST', '/events', { events });
  console.log(`${ids.length} customers in en, pl and ru, with consent (${Math.ceil(ids.length / 2)} also to tracking)`);

  // Morning: everyone fills a cart; Oliver and Olga buy within the hour; Piotr empties his.
  const carts = ids.map((p, i) =>
    event('cart.updated', p.customerId, now, {
      cartId: `cart-${p.id}`,
      cartUrl: 'https://shop.example.com/cart',
      items: [products[i % 3], products[(i + 1) % 3]].map((x) => ({
        ...x!,
        currency: currency(p.locale),
        qty: 1 + (i % 2),
        imageUrl: 'https://picsum.photos/seed/tactful/128',
      })),
    }),
  );
  await call('POST', '/events', { events: carts });
  console.log(`${carts.length} carts filled`);
  console.log(`+30 min: ${describeDueWork(await call('POST', '/dev/clock', { advanceBy: 'PT30M' }), SHOP_ZONE)}`);
  const later = (await call('GET', '/dev/clock')).now;
  const [, oliver, , piotr, olga] = ids;
  await call('POST', '/events', {
    events: [
      event('order.placed', oliver!.customerId, later, {
        orderId: `o-${run}-1`,
        cartId: `cart-${oliver!.id}`,
        items: [{ sku: 'MUG-BLUE', name: 'Blue mug', price: 12.5, currency: 'EUR', qty: 1 }],
        total: 12.5,
        currency: 'EUR',
      }),
      event('order.placed', olga!.customerId, later, {
        orderId: `o-${run}-2`,
        cartId: `cart-${olga!.id}`,
        items: [{ sku: 'TEA-GREEN', name: 'Green tea', price: 7, currency: 'RUB', qty: 2 }],
        total: 14,
        currency: 'RUB',
      }),
      event('cart.updated', piotr!.customerId, later, { cartId: `cart-${piotr!.id}`, cartUrl: 'https://shop.example.com/cart', items: [] }),
      event('loyalty.points_changed', ids[2]!.customerId, later, { points: 900, tier: 'gold' }),
    ],
  });
  console.log('Oliver and Olga ordered, Piotr emptied his cart, Zofia reached gold');
  for (const step of ['PT1H', 'PT23H', 'P2D', 'P1D']) {
    const report = await call('POST', '/dev/clock', { advanceBy: step });
    console.log(`+${step.replace('PT', '').replace('P', '').toLowerCase()}: ${describeDueWork(report, SHOP_ZONE)}`);
  }

  console.log('\nper campaign and outcome:');
  const days = new Set<string>();
  for (let d = Date.parse(now); d <= Date.parse((await call('GET', '/dev/clock')).now); d += 86_400_000)
    days.add(new Date(d).toISOString().slice(0, 10));
  for (const campaign of ['abandoned-cart', 'loyalty-tier-upgrade', 'loyalty-points-threshold', 'win-back']) {
    const totals: Record<string, number> = {};
    for (const day of days) {
      const { entries } = await call('GET', `/admin/api/campaigns/${campaign}/log?day=${day}`, undefined, true);
      for (const e of entries as { customerId: string; outcome: string; reason?: string }[]) {
        if (!e.customerId.endsWith(run)) continue;
        const key = e.reason ? `${e.outcome}:${e.reason}` : e.outcome;
        totals[key] = (totals[key] ?? 0) + 1;
      }
    }
    if (Object.keys(totals).length)
      console.log(
        `  ${campaign.padEnd(26)} ${Object.entries(totals)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
  }
  await playSes(ids, later);
  console.log(`\nRead them in the inbox: ${sesUrl}`);
}

const sesUrl = (process.env['SES_URL'] ?? 'http://127.0.0.1:8005').replace(/\/+$/, '');

/**
 * What SES and customers would do next: each email delivered, every other one opened, every third
 * clicked (an open repeated, as pixels load twice); then the first customer who got a reminder buys.
 * Locally an event may name only its message id: the endpoint adds the tags SES would carry
 * (docs/results.md).
 */
async function playSes(ids: { id: string; name: string; customerId: string }[], since: string): Promise<void> {
  const { emails } = (await (await fetch(`${sesUrl}/store`)).json()) as { emails: { messageId: string; destination: { to: string[] } }[] };
  const ours = emails.filter((e) => e.destination.to.some((to) => to.endsWith(`.${run}@example.com`)));
  const buyer = ids.find((p) => ours.some((e) => e.destination.to.includes(`${p.id}.${run}@example.com`)));
  const events = ours.flatMap((e, i) => {
    const mail = { messageId: e.messageId };
    return [
      { eventType: 'Delivery', mail },
      ...(i % 2 === 0
        ? [
            { eventType: 'Open', mail },
            { eventType: 'Open', mail },
          ]
        : []),
      ...(i % 3 === 0 ? [{ eventType: 'Click', mail }] : []),
    ];
  });
  const { results } = await call('POST', '/dev/ses-events', events);
  const counted = (results as string[]).filter((r) => r === 'counted').length;
  const { now } = await call('GET', '/dev/clock');
  if (buyer)
    await call('POST', '/events', {
      events: [
        event('order.placed', buyer.customerId, now, {
          orderId: `o-${run}-3`,
          items: [{ sku: 'LAMP-DESK', name: 'Desk lamp', price: 49, currency: 'EUR', qty: 1 }],
          total: 49,
          currency: 'EUR',
        }),
      ],
    });
  console.log(
    `\nSES events for ${ours.length} emails: ${events.length} fed, ${counted} counted (repeated opens count once)` +
      (buyer ? `; ${buyer.name} bought a lamp` : ''),
  );
  console.log(`results: npx tactful report --since ${since.slice(0, 10)}`);
}

main().catch((error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
