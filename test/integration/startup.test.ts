import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../functions/local/services';

const root = join(__dirname, '..', '..');

function startProcess(
  env: Record<string, string>,
  args: string[] = [],
  // Its own process group, as a terminal gives it: Ctrl-C there signals every process of the group.
  asInTerminal = false,
): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/start.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    detached: asInTerminal,
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const javaProcessesOnPort = (port: number): string =>
  spawnSync('pgrep', ['-fa', `DynamoDBLocal.jar.*-port ${port}`], { encoding: 'utf8' }).stdout.trim();

// Each start boots DynamoDB Local and the whole system: on a loaded machine that alone can take a minute.
describe('npm start', () => {
  it('boots everything, answers /health only when ready, prints the URLs, and stops in order on Ctrl-C, no Java left behind', async () => {
    const [port, dynamodbPort, sesPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const dataDir = mkdtempSync(join(tmpdir(), 'tactful-persist-'));
    const { child, output } = startProcess(
      { PORT: String(port), DYNAMODB_PORT: String(dynamodbPort), SES_PORT: String(sesPort) },
      ['--persist', dataDir],
      true,
    );
    try {
      const statuses: number[] = [];
      await waitFor(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        statuses.push(res.status);
        return res.status === 200 ? true : undefined;
      }, 90_000);
      expect(statuses.every((s, i) => (i < statuses.length - 1 ? s === 503 : s === 200))).toBe(true);
      await waitFor(async () => (output().includes('Ctrl-C stops everything') ? true : undefined), 5000);
      expect(output()).toContain(`http://127.0.0.1:${port}`);
      expect(output()).toContain(`http://127.0.0.1:${sesPort}`);
      expect(output()).toContain('curl -s -X POST');
      expect((await fetch(`http://127.0.0.1:${sesPort}/store`)).status).toBe(200);
      expect(javaProcessesOnPort(dynamodbPort)).not.toBe('');
    } finally {
      // Ctrl-C: SIGINT to the whole group, DynamoDB Local's Java process included.
      process.kill(-child.pid!, 'SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
    expect(child.exitCode).toBe(0);
    // The database outlived the server's last requests: none of them found it gone.
    expect(output()).not.toMatch(/ECONNREFUSED|ECONNRESET/);
    expect(javaProcessesOnPort(dynamodbPort)).toBe('');
  }, 150_000);

  it('leaves no Java behind when the server is killed outright', async () => {
    const [port, dynamodbPort, sesPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const { child } = startProcess({ PORT: String(port), DYNAMODB_PORT: String(dynamodbPort), SES_PORT: String(sesPort) });
    await waitFor(async () => ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined), 90_000);
    expect(javaProcessesOnPort(dynamodbPort)).not.toBe('');
    // No orderly stop at all: the server's own process (tsx runs it as its child) is killed, and
    // DynamoDB Local notices its parent is gone by its closed input.
    const server = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')[0]!;
    expect(server).toMatch(/^\d+$/);
    process.kill(Number(server), 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await waitFor(async () => (javaProcessesOnPort(dynamodbPort) === '' ? true : undefined), 20_000);
  }, 150_000);

  it('keeps accepted events and pending jobs across a restart with --persist, and sends each once after it', async () => {
    // Quiet hours off: with the shop's 21:00–08:00 the reminder would wait for morning when this runs in the evening.
    const ports = {
      PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
      SES_PORT: String(await freePort()),
      QUIET_HOURS: 'off',
    };
    const dataDir = mkdtempSync(join(tmpdir(), 'tactful-restart-'));
    const api = `http://127.0.0.1:${ports.PORT}`;
    const headers = { 'content-type': 'application/json', 'x-api-key': 'dev-key' };
    const ready = () => waitFor(async () => ((await fetch(`${api}/health`)).status === 200 ? true : undefined), 90_000);
    const stop = async (child: ChildProcessWithoutNullStreams) => {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    };

    const first = startProcess(ports, ['--persist', dataDir]);
    try {
      await ready();
      const now = new Date().toISOString();
      const events = [
        {
          id: 'r-1',
          type: 'customer.upserted',
          customerId: 'restart-1',
          occurredAt: now,
          data: { email: 'restart-1@example.com', firstName: 'Rita', country: 'PL' },
        },
        {
          id: 'r-2',
          type: 'consent.changed',
          customerId: 'restart-1',
          occurredAt: now,
          data: { topic: 'cart_reminders', status: 'granted', source: 'checkout', policyVersion: '1' },
        },
        {
          id: 'r-3',
          type: 'cart.updated',
          customerId: 'restart-1',
          occurredAt: now,
          data: {
            cartId: 'c1',
            cartUrl: 'https://shop.example.com/cart',
            items: [{ sku: 'A', name: 'Lamp', price: 30, currency: 'EUR', qty: 1 }],
          },
        },
      ];
      expect((await fetch(`${api}/events`, { method: 'POST', headers, body: JSON.stringify({ events }) })).status).toBe(202);
    } finally {
      await stop(first.child);
    }

    const second = startProcess(ports, ['--persist', dataDir]);
    try {
      await ready();
      const jobs = (await (
        await fetch(`${api}/admin/api/customers/restart-1/jobs`, { headers: { authorization: 'Bearer dev-admin' } })
      ).json()) as { jobs: unknown[] };
      expect(jobs.jobs).toEqual([expect.objectContaining({ status: 'pending', campaignId: 'abandoned-cart' })]);
      // The first run never moved the clock: the job comes due an hour on.
      const advance = () => fetch(`${api}/dev/clock`, { method: 'POST', headers, body: JSON.stringify({ advanceBy: 'PT1H' }) });
      await advance();
      await advance();
      const store = (await (await fetch(`http://127.0.0.1:${ports.SES_PORT}/store`)).json()) as {
        emails: { destination: { to: string[] } }[];
      };
      expect(
        store.emails.filter((e: { destination: { to: string[] } }) => e.destination.to.includes('restart-1@example.com')),
      ).toHaveLength(1);
    } finally {
      await stop(second.child);
    }
  }, 150_000);

  it('keeps the application clock across a restart with --persist', async () => {
    const ports = { PORT: String(await freePort()), DYNAMODB_PORT: String(await freePort()), SES_PORT: String(await freePort()) };
    const dataDir = mkdtempSync(join(tmpdir(), 'tactful-clock-'));
    const api = `http://127.0.0.1:${ports.PORT}`;
    const headers = { 'content-type': 'application/json', 'x-api-key': 'dev-key' };
    const ready = () => waitFor(async () => ((await fetch(`${api}/health`)).status === 200 ? true : undefined), 90_000);
    const clockNow = async () => Date.parse(((await (await fetch(`${api}/dev/clock`, { headers })).json()) as { now: string }).now);
    const stop = async (child: ChildProcessWithoutNullStreams) => {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    };

    let advancedTo: number;
    const first = startProcess(ports, ['--persist', dataDir, '--no-seed']);
    try {
      await ready();
      const answer = (await (
        await fetch(`${api}/dev/clock`, { method: 'POST', headers, body: JSON.stringify({ advanceBy: 'P3D' }) })
      ).json()) as { now: string };
      advancedTo = Date.parse(answer.now);
      expect(advancedTo - Date.now()).toBeGreaterThan(3 * 86_400_000 - 60_000);
    } finally {
      await stop(first.child);
    }
    const second = startProcess(ports, ['--persist', dataDir, '--no-seed']);
    try {
      await ready();
      expect(await clockNow()).toBeGreaterThanOrEqual(advancedTo);
    } finally {
      await stop(second.child);
    }
  }, 150_000);

  it('says what to install when Java is missing', async () => {
    const port = await freePort();
    const { child, output } = startProcess({
      PORT: String(port),
      DYNAMODB_PORT: String(await freePort()),
      SES_PORT: String(await freePort()),
      PATH: '/nonexistent',
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(output()).toMatch(/needs Java 17 or newer/);
    expect(output()).toMatch(/apt-get install openjdk-17-jre-headless/);
  });
});
