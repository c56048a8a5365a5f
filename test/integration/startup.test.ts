import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../functions/local/services';

const root = join(__dirname, '..', '..');

function startProcess(env: Record<string, string>, args: string[] = []): { child: ChildProcessWithoutNullStreams; output: () => string } {
  const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/start.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
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

describe('npm start', () => {
  it('boots everything, answers /health only when ready, prints the URLs, and leaves no Java behind on SIGINT', async () => {
    const [port, dynamodbPort, sesPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const dataDir = mkdtempSync(join(tmpdir(), 'tactful-persist-'));
    const { child, output } = startProcess({ PORT: String(port), DYNAMODB_PORT: String(dynamodbPort), SES_PORT: String(sesPort) }, ['--persist', dataDir]);
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
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
    expect(child.exitCode).toBe(0);
    expect(javaProcessesOnPort(dynamodbPort)).toBe('');
  });

  it('says what to install when Java is missing', async () => {
    const port = await freePort();
    const { child, output } = startProcess({ PORT: String(port), DYNAMODB_PORT: String(await freePort()), SES_PORT: String(await freePort()), PATH: '/nonexistent' });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(output()).toMatch(/needs Java 17 or newer/);
    expect(output()).toMatch(/apt-get install openjdk-17-jre-headless/);
  });
});
