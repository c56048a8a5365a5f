import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSystem, type LocalSystem, type LocalSystemOptions } from '../../../functions/local/system';
import type { DueWorkReport } from '../../../functions/local/dueWorkReport';

/** Boots the real local system (same server, handlers and adapters as npm start) on the shared services. */
export async function startTestSystem(options: LocalSystemOptions = {}): Promise<TestSystem> {
  const dynamodbEndpoint = process.env['TACTFUL_TEST_DYNAMODB'];
  const sesEndpoint = process.env['TACTFUL_TEST_SES'];
  if (!dynamodbEndpoint || !sesEndpoint) throw new Error('integration globalSetup did not run');
  const system = await startLocalSystem({
    port: 0,
    dynamodbEndpoint,
    sesEndpoint,
    tablePrefix: `t${randomUUID().slice(0, 8)}-`,
    sweepIntervalMs: 0,
    keyFile: join(mkdtempSync(join(tmpdir(), 'tactful-key-')), 'token.key'),
    sendQueue: { retryDelayMs: () => 5 },
    // Tests move the clock by hours: quiet hours would make them depend on the time of day they run.
    quietHours: { start: '00:00', end: '00:00' },
    ...options,
  });
  return new TestSystem(system);
}

export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}

export class TestSystem {
  constructor(readonly system: LocalSystem) {}

  get url(): string {
    return this.system.url;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-api-key': this.system.apiKey, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  postEvents(events: unknown, headers?: Record<string, string>) {
    return this.request('POST', '/events', Array.isArray(events) ? { events } : events, headers);
  }

  async now(): Promise<string> {
    return (await this.request('GET', '/dev/clock')).body.now as string;
  }

  async advance(advanceBy: string): Promise<DueWorkReport> {
    const response = await this.request('POST', '/dev/clock', { advanceBy });
    if (response.status !== 200) throw new Error(`clock: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** Emails in the SES local store addressed to `to`. */
  async inbox(to: string): Promise<StoredEmail[]> {
    const response = await fetch(`${this.system.sesUrl}/store`);
    const { emails } = (await response.json()) as { emails: StoredEmail[] };
    return emails.filter((e) => e.destination.to.includes(to));
  }

  stop(): Promise<void> {
    return this.system.stop();
  }
}

/** A fresh customer per test: tests share the SES store and must not see each other's mail. */
export function newCustomer(locale: 'en' | 'pl' | 'ru' = 'en') {
  const id = `cust-${randomUUID().slice(0, 12)}`;
  return { id, email: `${id}@example.com`, locale };
}

let sequence = 0;
export const eventId = (label: string): string => `${label}-${Date.now().toString(36)}-${++sequence}-${randomUUID().slice(0, 6)}`;

export function customerUpserted(c: { id: string; email: string; locale: string }, at: string, firstName = 'Ada') {
  return {
    id: eventId('cu'),
    type: 'customer.upserted',
    customerId: c.id,
    occurredAt: at,
    data: { email: c.email, firstName, locale: c.locale, timezone: 'Europe/Warsaw', country: 'PL' },
  };
}

export function consentGranted(c: { id: string }, at: string, topic = 'cart_reminders', status: 'granted' | 'withdrawn' = 'granted') {
  return {
    id: eventId('cc'),
    type: 'consent.changed',
    customerId: c.id,
    occurredAt: at,
    data: { topic, status, source: 'checkout', policyVersion: '2026-01' },
  };
}

export const defaultItems = [
  { sku: 'MUG-1', name: 'Blue mug', price: 12.5, currency: 'EUR', qty: 2, imageUrl: 'https://cdn.example.com/mug.png' },
  { sku: 'TEA-9', name: 'Green tea', price: 7, currency: 'EUR', qty: 1 },
];

export function cartUpdated(c: { id: string }, at: string, items: unknown[] = defaultItems, cartId: string | undefined = 'cart-1') {
  return {
    id: eventId('cart'),
    type: 'cart.updated',
    customerId: c.id,
    occurredAt: at,
    data: { ...(cartId ? { cartId } : {}), cartUrl: 'https://shop.example.com/cart', items },
  };
}

export function orderPlaced(c: { id: string }, at: string, cartId?: string) {
  return {
    id: eventId('order'),
    type: 'order.placed',
    customerId: c.id,
    occurredAt: at,
    data: {
      orderId: `o-${randomUUID().slice(0, 8)}`,
      ...(cartId ? { cartId } : {}),
      items: [{ sku: 'MUG-1', name: 'Blue mug', price: 12.5, currency: 'EUR', qty: 2 }],
      total: 25,
      currency: 'EUR',
    },
  };
}

/** A customer who agreed to cart reminders. */
export async function customerWithConsent(
  app: TestSystem,
  { locale = 'en', firstName = 'Ada', timezone }: { locale?: 'en' | 'pl' | 'ru'; firstName?: string; timezone?: string } = {},
) {
  const c = newCustomer(locale);
  const now = await app.now();
  const profile = customerUpserted(c, now, firstName);
  if (timezone) profile.data.timezone = timezone;
  await app.postEvents([profile, consentGranted(c, now)]);
  return c;
}

/** A customer who has just received a cart reminder: the real email, as the SES store holds it. */
export async function remindedCustomer(app: TestSystem, options: { locale?: 'en' | 'pl' | 'ru'; firstName?: string } = {}) {
  const c = await customerWithConsent(app, options);
  await app.postEvents([cartUpdated(c, await app.now())]);
  await app.advance('PT1H');
  const [email] = await app.inbox(c.email);
  if (!email) throw new Error('the reminder did not arrive');
  return { c, email };
}

/** The send-queue message the sweep would produce for a job. */
export const sendMessageFor = (job: { customerId: string; jobId: string; stepId: string; instanceId: string }): string =>
  JSON.stringify({ customerId: job.customerId, jobId: job.jobId, stepId: job.stepId, instanceId: job.instanceId });

/** A fixed-offset zone (Etc/GMT±N) where the instant `at` falls in the hour `hour` local time: tests pick zones, not hours of the day. */
export function zoneWhereHourIs(hour: number, at: string): string {
  let offset = hour - new Date(at).getUTCHours();
  if (offset > 12) offset -= 24;
  if (offset < -12) offset += 24;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/** A seeded PRNG (mulberry32): repeatable fault injection whose runs of failures stay as rare as the rate says. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The `tactful` CLI as a child process. Asynchronously: the test's own server must keep answering it. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'scripts', 'tactful.js'), ...args], {
      env: { ...process.env, ...env },
      ...(cwd ? { cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
