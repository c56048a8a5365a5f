import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export { launchBrowser } from '../../../scripts/chromium';

/** Screenshots from test runs are kept in test-artifacts/ (git-ignored; CI can collect them). */
export function artifactPath(name: string): string {
  const dir = join(__dirname, '..', '..', '..', 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
