import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../../scripts/chromium';
import { startTestSystem, type TestSystem } from './harness';

export { launchBrowser };

/** Screenshots from test runs are kept in test-artifacts/ (git-ignored; CI can collect them). */
export function artifactPath(name: string): string {
  const dir = join(__dirname, '..', '..', '..', 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/**
 * A describe block's local system and Chromium, started together before its tests and closed after
 * them (the browser first). `use` receives both once they are up.
 */
export function useSystemAndBrowser(use: (app: TestSystem, browser: Browser) => void): void {
  let started: [TestSystem, Browser] | undefined;
  beforeAll(async () => {
    started = await Promise.all([startTestSystem(), launchBrowser()]);
    use(...started);
  });
  afterAll(async () => {
    await started?.[1].close();
    await started?.[0].stop();
  });
}
