import { readFileSync } from 'node:fs';
import { admin, UsageError } from './adminClient';

/** `npx tactful segments put|preview`, through the admin API (docs/segments.md). */
export const SEGMENTS_USAGE = `
  segments put <file.json>                           save a segment (its id is in the file); says what it means
  segments preview <segmentId>                       how many customers match now, and a few of them with why
`;

/** A JSON file as a value, or a usage error naming the file and the problem. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${file} is not JSON`);
  }
}

export async function segmentsCommand(command: string | undefined, arg: string | undefined): Promise<void> {
  if (!arg) throw new UsageError(`missing the ${command === 'put' ? 'file' : 'segment id'} after "segments ${command ?? ''}"`);
  if (command === 'put') {
    const segment = readJsonFile(arg) as { id?: unknown };
    if (typeof segment?.id !== 'string') throw new UsageError(`${arg} has no "id"`);
    const saved = (await admin('PUT', `/admin/api/segments/${encodeURIComponent(segment.id)}`, segment)) as {
      id: string;
      description: string;
      validation: { warnings: { part: string; message: string }[] };
    };
    console.log(`segment ${saved.id} saved: ${saved.description}`);
    for (const w of saved.validation.warnings) console.log(`  warning ${w.part} ${w.message}`);
    return;
  }
  if (command === 'preview') {
    const preview = (await admin('GET', `/admin/api/segments/${encodeURIComponent(arg)}/preview`)) as {
      count: number;
      sample: { customerId: string; matched: { text: string }[] }[];
    };
    console.log(`segment ${arg}: ${preview.count} ${preview.count === 1 ? 'customer matches' : 'customers match'} now`);
    for (const s of preview.sample) console.log(`  ${s.customerId.padEnd(28)} ${s.matched.map((m) => m.text).join('; ')}`);
    return;
  }
  throw new UsageError(`unknown command "segments ${command ?? ''}"`);
}
