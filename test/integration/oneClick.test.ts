import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../../functions/domain/consent/unsubscribeToken';
import { loadOrCreateKeyFile } from '../../functions/local/localSecrets';
import {
  consentGranted,
  customerUpserted,
  newCustomer,
  remindedCustomer,
  startTestSystem,
  type StoredEmail,
  type TestSystem,
} from './support/harness';

/**
 * RFC 8058 one-click as mailbox providers really send it: multipart or urlencoded, any line ends, from a
 * handful of provider addresses. Every valid "no" must land.
 */
describe('one-click unsubscribe as mailbox providers send it', () => {
  let app: TestSystem;
  let key: Buffer;
  beforeAll(async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'tactful-key-')), 'token.key');
    // The default link limits (30 a token, 120 an address per minute): the point is that they hold.
    app = await startTestSystem({ keyFile });
    key = loadOrCreateKeyFile(keyFile);
  });
  afterAll(() => app.stop());

  const unsubscribeUrl = (email: StoredEmail) => /^<(.+)>$/.exec(email.headers!.find((h) => h.name === 'List-Unsubscribe')!.value)![1]!;
  const consentOf = async (customerId: string) => (await app.system.customers.getProfile(customerId))?.consent.cart_reminders?.status;
  const multipart = (eol: string, boundary: string) =>
    [
      `--${boundary}`,
      'Content-Disposition: form-data; name="List-Unsubscribe"',
      '',
      'One-Click',
      `--${boundary}`,
      'Content-Disposition: form-data; name="x-provider"',
      '',
      'some-mta',
      `--${boundary}--`,
      '',
    ].join(eol);

  it.each([
    ['multipart with CRLF line ends', '\r\n', 'multipart/form-data; boundary=----=_Part_123'],
    ['multipart with LF line ends and a charset', '\n', 'multipart/form-data; charset=UTF-8; boundary="----=_Part_123"'],
  ])('%s unsubscribes', async (_, eol, contentType) => {
    const { c, email } = await remindedCustomer(app);
    const response = await fetch(unsubscribeUrl(email), {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: multipart(eol, '----=_Part_123'),
    });
    expect(response.status).toBe(200);
    expect(await consentOf(c.id)).toBe('withdrawn');
  });

  it('an urlencoded body with a trailing CRLF and spaces unsubscribes', async () => {
    const { c, email } = await remindedCustomer(app);
    const response = await fetch(unsubscribeUrl(email), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: ' List-Unsubscribe=One-Click \r\n',
    });
    expect(response.status).toBe(200);
    expect(await consentOf(c.id)).toBe('withdrawn');
  });

  it('a body that does not say One-Click is refused and changes nothing', async () => {
    const { c, email } = await remindedCustomer(app);
    const response = await fetch(unsubscribeUrl(email), {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      body: multipart('\r\n', 'b').replace('One-Click', 'Maybe'),
    });
    expect(response.status).toBe(400);
    expect(await consentOf(c.id)).toBe('granted');
  });

  it('200 valid one-click POSTs from one address in a few seconds all unsubscribe', async () => {
    const customers = Array.from({ length: 200 }, () => newCustomer());
    const now = await app.now();
    for (let i = 0; i < customers.length; i += 50) {
      const batch = customers.slice(i, i + 50).flatMap((c) => [customerUpserted(c, now), consentGranted(c, now)]);
      expect((await app.postEvents(batch)).body.rejected).toEqual([]);
    }
    const issuedAt = Math.floor(Date.parse(now) / 1000);
    const statuses = await Promise.all(
      customers.map((c) =>
        fetch(`${app.url}/u/${issueToken({ customerId: c.id, scope: 'cart_reminders', issuedAt }, key)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const consents = await Promise.all(customers.map((c) => consentOf(c.id)));
    expect(consents.filter((s) => s !== 'withdrawn')).toEqual([]);
  });

  it('forged tokens from one address are still limited, and the page routes keep their limits', async () => {
    const forged = await Promise.all(
      Array.from({ length: 130 }, (_, i) =>
        fetch(`${app.url}/u/forged${i}.${'A'.repeat(43)}`, { method: 'POST', body: 'List-Unsubscribe=One-Click' }).then((r) => r.status),
      ),
    );
    expect(forged.filter((s) => s === 404).length).toBeGreaterThan(0);
    expect(forged).toContain(429);
  });
});
