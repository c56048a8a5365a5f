#!/usr/bin/env node
// `npx tactful …`: runs the TypeScript CLI through tsx, so there is no build step.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const tsx = join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
// Node 20 is supported locally; the lockfile pins SDK versions that run on it (Lambda runs Node 24).
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env };
const result = spawnSync(process.execPath, [tsx, join(__dirname, 'cli.ts'), ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
