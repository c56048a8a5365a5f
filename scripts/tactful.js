#!/usr/bin/env node
// `npx tactful …`: runs the TypeScript CLI through tsx, so there is no build step.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const tsx = join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
const result = spawnSync(process.execPath, [tsx, join(__dirname, 'cli.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
