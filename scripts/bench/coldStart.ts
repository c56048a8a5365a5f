import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_BUNDLE } from '../../infra/bundling';

/**
 * Bundles every function as the CDK stack does (esbuild, minified, CJS, the SDK left to the runtime)
 * and times module initialization in fresh processes: the send handler against a handler that only
 * creates the same SDK clients.
 */

const root = join(__dirname, '..', '..');
export const buildDir = join(root, 'bench', '.build');

export async function bundle(entry: string, name: string): Promise<string> {
  mkdirSync(buildDir, { recursive: true });
  const outfile = join(buildDir, `${name}.js`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: LAMBDA_BUNDLE.target,
    minify: LAMBDA_BUNDLE.minify,
    external: [...LAMBDA_BUNDLE.external],
    logLevel: 'error',
  });
  return outfile;
}

const DUMMY_ENV = {
  CUSTOMERS_TABLE: 'customers',
  CATALOG_TABLE: 'catalog',
  FROM_ADDRESS: 'shop@example.com',
  PUBLIC_BASE_URL: 'https://example.com',
  EVENT_BUS_NAME: 'bus',
  SEND_QUEUE_URL: 'https://sqs.example.com/q',
  AWS_REGION: 'eu-central-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'CRITICAL',
};

function initOnce(file: string): number {
  const out = spawnSync(
    process.execPath,
    [
      '-e',
      `const t=process.hrtime.bigint();require(${JSON.stringify(file)});` +
        'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))',
    ],
    {
      env: { ...process.env, ...DUMMY_ENV },
      encoding: 'utf8',
    },
  );
  if (out.status !== 0) throw new Error(`initializing ${file} failed: ${out.stderr}`);
  return Number(out.stdout);
}

const median = (times: number[]): number => {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
};

/**
 * Medians of fresh-process initialization, the files taking turns: on a shared machine a burst of
 * load then slows both sides of the ratio alike, instead of whichever happened to run during it.
 */
function initMs(files: string[], runs: number): number[] {
  const times = files.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) files.forEach((file, n) => times[n]!.push(initOnce(file)));
  return times.map(median);
}

export interface ColdStartResult {
  bundleBytes: Record<string, number>;
  sendBundleHasMjml: boolean;
  sendInitMs: number;
  bareClientsInitMs: number;
  initRatio: number;
}

export async function benchColdStart(runs = 15): Promise<ColdStartResult> {
  const lambdaDir = join(root, 'functions', 'lambda');
  const bundleBytes: Record<string, number> = {};
  let sendBundle = '';
  for (const file of readdirSync(lambdaDir).filter((f) => f.endsWith('.ts') && f !== 'secrets.ts')) {
    const name = file.replace(/\.ts$/, '');
    const out = await bundle(join(lambdaDir, file), name);
    bundleBytes[name] = statSync(out).size;
    if (name === 'send') sendBundle = out;
  }
  const bare = await bundle(join(__dirname, 'bareSendHandler.ts'), 'bare-clients');
  const { readFileSync } = await import('node:fs');
  const [sendInitMs, bareClientsInitMs] = initMs([sendBundle, bare], runs) as [number, number];
  return {
    bundleBytes,
    sendBundleHasMjml: /mjml-core|mj-column/.test(readFileSync(sendBundle, 'utf8')),
    sendInitMs,
    bareClientsInitMs,
    initRatio: Math.round((sendInitMs / bareClientsInitMs) * 100) / 100,
  };
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}
