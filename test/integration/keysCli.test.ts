import { runCli, startTestSystem, type TestSystem } from './support/harness';

/** `npx tactful keys …` and `deliveries` against a running tactful, as a shop owner would use them. */
describe('npx tactful keys', () => {
  let app: TestSystem;
  beforeAll(async () => {
    app = await startTestSystem();
  });
  afterAll(() => app.stop());

  const cli = (...args: string[]) => runCli(args, { TACTFUL_URL: app.url, TACTFUL_ADMIN_KEY: app.system.adminKey });

  it('creates a key shown once, lists it without the key, attributes refusals to it and revokes it', async () => {
    const created = await cli('keys', 'create', 'warehouse');
    expect(created.code).toBe(0);
    const key = /key warehouse: (tk_\S+)/.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    expect((await cli('keys', 'create', 'warehouse')).stderr).toContain('a key named warehouse exists already');
    expect((await cli('keys', 'create', 'Bad Name!')).stderr).toContain('name: must be 1–48 lowercase letters');

    const listed = await cli('keys', 'list');
    expect(listed.stdout).toContain('warehouse');
    expect(listed.stdout).not.toContain(key!);

    const res = await app.postEvents(
      [
        {
          id: 'w-1',
          type: 'order.placed',
          customerId: 'c-w',
          occurredAt: await app.now(),
          data: { orderId: 'o1', items: [], total: -3, currency: 'EUR' },
        },
      ],
      { 'x-api-key': key! },
    );
    expect(res.status).toBe(400);
    const deliveries = await cli('deliveries', '--status', 'rejected');
    expect(deliveries.stdout).toMatch(/events\s+warehouse\s+refused/);
    expect(deliveries.stdout).toContain('event w-1: data.total');

    expect((await cli('keys', 'revoke', 'warehouse')).stdout).toContain('key warehouse revoked');
    expect(
      (
        await app.postEvents(
          [{ id: 'w-2', type: 'preferences.changed', customerId: 'c-w', occurredAt: await app.now(), data: { frequency: 'weekly' } }],
          { 'x-api-key': key! },
        )
      ).status,
    ).toBe(401);
    expect((await cli('keys', 'revoke', 'warehouse')).stderr).toContain('no key named warehouse');
  });
});
