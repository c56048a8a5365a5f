import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { cartUpdated, consentGranted, customerUpserted, newCustomer, startTestSystem, type TestSystem } from './support/harness';

/** Issue 24: what a careless or hostile admin key, or a shop's data, must not be able to do. */
describe('admin side safety', () => {
  let app: TestSystem;
  const admin = () => ({ authorization: `Bearer ${app.system.adminKey}` });
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  describe('the local console and services', () => {
    it('refuses to publish a working copy named outside templates/, percent-encoded or not', async () => {
      for (const name of ['..%2Fscripts', '..%2F..%2Ftmp', '.%2E%2Fscripts']) {
        const response = await app.request('POST', `/admin/templates/${name}/publish`, '', { ...admin(), 'content-type': 'application/x-www-form-urlencoded' });
        expect(response.status).toBe(404);
        expect(String(response.body)).toContain('templates/ has no folder named');
      }
      // A folder that is there still publishes.
      const real = await app.request('POST', '/admin/templates/win-back/publish', '', { ...admin(), 'content-type': 'application/x-www-form-urlencoded' });
      expect(real.status).toBe(200);
      expect(String(real.body)).toMatch(/Published: the next sends use this version|That version was already the one sending/);
    });

    it('binds DynamoDB Local and the SES stand-in to 127.0.0.1 only', async () => {
      const outside = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && !i.internal && i.family === 'IPv4')?.address;
      const reach = (host: string, port: number) =>
        new Promise<boolean>((resolve) => {
          const socket = connect({ host, port, timeout: 2000 }, () => (socket.destroy(), resolve(true)));
          socket.on('error', () => resolve(false));
          socket.on('timeout', () => (socket.destroy(), resolve(false)));
        });
      for (const endpoint of [process.env['TACTFUL_TEST_DYNAMODB']!, process.env['TACTFUL_TEST_SES']!]) {
        const port = Number(new URL(endpoint).port);
        expect(await reach('127.0.0.1', port)).toBe(true);
        // On a machine with no other interface there is nothing more to try.
        if (outside) expect(await reach(outside, port)).toBe(false);
      }
    });
  });

  describe('control characters in shop data', () => {
    it('are stripped at ingest and never reach a subject', async () => {
      const c = newCustomer();
      const at = await app.now();
      const profile = customerUpserted(c, at, 'Ada\u0007\u001b[31m\u0000\u0085\u202e');
      const cart = cartUpdated(c, at, [{ sku: 'MUG-1', name: 'Blue\u0000 mug\u001b', price: 12.5, currency: 'EUR', qty: 1 }]);
      const accepted = await app.postEvents([profile, consentGranted(c, at), cart]);
      expect(accepted.body.accepted).toHaveLength(3);
      await app.advance('PT1H');
      const [mail] = await app.inbox(c.email);
      expect(mail!.subject).toBe('Ada[31m, you left something in your cart');
      expect(mail!.subject).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
      expect(mail!.body.text).toContain('Blue mug');
      expect(mail!.body.text).not.toMatch(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/);
    });
  });
});
