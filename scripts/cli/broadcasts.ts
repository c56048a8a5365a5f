import { admin, UsageError } from './adminClient';
import { readJsonFile } from './segments';

/** `npx tactful broadcasts create|status|cancel`, through the admin API (docs/broadcasts.md). */
export const BROADCASTS_USAGE = `
  broadcasts create <file.json>                      schedule a broadcast to a segment (publishers)
  broadcasts status <broadcastId>                    its state and progress: audience, sent, skipped by reason, held out
  broadcasts cancel <broadcastId>                    stop everything not yet sent (publishers)
`;

interface Status {
  id: string;
  name: string;
  state: string;
  audience: number;
  sent: number;
  skipped: number;
  skippedBy: Record<string, number>;
  heldOut: number;
  failed: number;
  queued: number;
  sendAt: string | { localTime: string; date: string };
  nextWaveAt?: string;
}

const when = (sendAt: Status['sendAt']): string =>
  typeof sendAt === 'string' ? sendAt : `${sendAt.localTime} on ${sendAt.date} in each recipient's own time zone`;

export async function broadcastsCommand(command: string | undefined, arg: string | undefined): Promise<void> {
  if (!arg) throw new UsageError(`missing the ${command === 'create' ? 'file' : 'broadcast id'} after "broadcasts ${command ?? ''}"`);
  const path = `/admin/api/broadcasts/${encodeURIComponent(arg)}`;
  if (command === 'create') {
    const created = (await admin('POST', '/admin/api/broadcasts', readJsonFile(arg))) as { id: string; firstWaveAt: string };
    return void console.log(`broadcast ${created.id} scheduled: its first wave starts ${created.firstWaveAt}`);
  }
  if (command === 'status') {
    const s = (await admin('GET', path)) as Status;
    console.log(`${s.id}: ${s.state} — "${s.name}", ${when(s.sendAt)}${s.nextWaveAt ? `; next wave ${s.nextWaveAt}` : ''}`);
    console.log(
      `  audience ${s.audience}, sent ${s.sent}, queued ${s.queued}, held out ${s.heldOut}, failed ${s.failed}, skipped ${s.skipped}`,
    );
    for (const [reason, n] of Object.entries(s.skippedBy)) console.log(`    skipped  ${reason.padEnd(24)} ${n}`);
    return;
  }
  if (command === 'cancel') {
    const c = (await admin('POST', `${path}/cancel`)) as { notSent: number };
    return void console.log(`broadcast ${arg} cancelled: ${c.notSent} targeted and not sent, and no later zone is reached`);
  }
  throw new UsageError(`unknown command "broadcasts ${command ?? ''}"`);
}
