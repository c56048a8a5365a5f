import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdjustableClock } from '../adapters/clock';
import { logger } from '../shared/logger';

/**
 * The application clock of `npm start -- --persist DIR`: its offset is kept in DIR beside DynamoDB's
 * data, so a restart resumes at the time the data was written at, not hours behind it (due work then
 * runs as docs/hardening.md says). Written on every advance, atomically (a temporary file renamed).
 */
export function persistedClock(persistDir: string | undefined): AdjustableClock {
  if (!persistDir) return new AdjustableClock();
  const file = join(persistDir, 'clock.json');
  const save = (offsetMs: number) => {
    mkdirSync(persistDir, { recursive: true });
    writeFileSync(`${file}.tmp`, `${JSON.stringify({ offsetMs })}\n`);
    renameSync(`${file}.tmp`, file);
  };
  return new AdjustableClock(readOffset(file), save);
}

function readOffset(file: string): number {
  if (!existsSync(file)) return 0;
  try {
    const { offsetMs } = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown };
    if (typeof offsetMs === 'number' && Number.isFinite(offsetMs) && offsetMs >= 0) return offsetMs;
  } catch {
    // fall through: a broken file must not stop the start
  }
  logger.warn('the saved application clock is unreadable; starting at wall time', { file });
  return 0;
}
