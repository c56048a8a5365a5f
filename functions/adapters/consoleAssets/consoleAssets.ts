import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The console's browser code (functions/console-browser/: CodeMirror from npm and our editors), bundled
 * by esbuild and served by the admin function itself: no CDN, and the pages' CSP allows scripts from
 * 'self' only. The admin function's bundle carries the built files beside itself (infra/constructs/admin.ts
 * builds them after bundling); run from source (npm start, tests) they are built on first request and kept.
 */

export const CONSOLE_SCRIPTS = ['template-editor', 'campaign-editor'] as const;
export type ConsoleScript = (typeof CONSOLE_SCRIPTS)[number];
export const isConsoleScript = (value: string): value is ConsoleScript => (CONSOLE_SCRIPTS as readonly string[]).includes(value);

/** Where each script's source is, from the repository's root. */
export const CONSOLE_SCRIPT_ENTRIES: Record<ConsoleScript, string> = {
  'template-editor': 'functions/console-browser/templateEditor.ts',
  'campaign-editor': 'functions/console-browser/campaignEditor.ts',
};

/** The esbuild options of a console script, the same from the CDK (as flags) and from here (as options). */
export const CONSOLE_BUNDLE = { bundle: true, minify: true, format: 'iife', target: 'es2020', platform: 'browser' } as const;

/** The folder beside the admin function's bundle that holds the built scripts. */
export const CONSOLE_ASSET_DIR = 'console-assets';

export interface ConsoleAsset {
  body: string;
  /** A hash of the content: pages name the script with it, so a browser may keep it for good. */
  hash: string;
  gzipBytes: number;
}

const built = new Map<ConsoleScript, Promise<ConsoleAsset>>();

function asset(body: string): ConsoleAsset {
  return { body, hash: createHash('sha256').update(body).digest('base64url').slice(0, 16), gzipBytes: gzipSync(body).length };
}

/** Builds one script from source with esbuild (a dev dependency: never part of the function's bundle). */
export async function buildConsoleScript(name: ConsoleScript, root = join(__dirname, '..', '..', '..')): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a computed name keeps esbuild out of the function's bundle
  const esbuild = require(['es', 'build'].join('')) as typeof import('esbuild');
  const result = await esbuild.build({
    ...CONSOLE_BUNDLE,
    entryPoints: [join(root, CONSOLE_SCRIPT_ENTRIES[name])],
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

/** One console script: the file the bundle carries, or built from source once per process. */
export function consoleScript(name: ConsoleScript): Promise<ConsoleAsset> {
  let found = built.get(name);
  if (!found) {
    const file = join(__dirname, CONSOLE_ASSET_DIR, `${name}.js`);
    found = (!__filename.endsWith('.ts') && existsSync(file) ? Promise.resolve(readFileSync(file, 'utf8')) : buildConsoleScript(name)).then(
      asset,
    );
    // A failed build is not kept: the next request tries again.
    found.catch(() => built.delete(name));
    built.set(name, found);
  }
  return found;
}
