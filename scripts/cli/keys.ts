import { admin, UsageError } from './adminClient';

/** `npx tactful keys create|list|revoke` and `npx tactful deliveries`, through the admin API. */
export async function keysCommand(
  group: string,
  command: string | undefined,
  name: string | undefined,
  values: { status?: string; source?: string },
): Promise<void> {
  if (group === 'deliveries') {
    const query = new URLSearchParams({
      ...(values.status ? { status: values.status } : {}),
      ...(values.source ? { source: values.source } : {}),
    }).toString();
    const { deliveries } = (await admin('GET', `/admin/api/deliveries${query ? `?${query}` : ''}`)) as {
      deliveries: {
        receivedAt: string;
        source: string;
        sender: string;
        status: string;
        topic?: string;
        rejected: { ref: string; errors: { path: string; message: string }[] }[];
      }[];
    };
    if (deliveries.length === 0) return void console.log('no deliveries in the last 3 days');
    for (const d of deliveries) {
      console.log(`${d.receivedAt}  ${d.source.padEnd(12)} ${d.sender.padEnd(24)} ${d.status}${d.topic ? `  (${d.topic})` : ''}`);
      for (const r of d.rejected) for (const e of r.errors) console.log(`    ${r.ref}: ${e.path} ${e.message}`);
    }
    return;
  }
  if (command === 'list') {
    const { keys } = (await admin('GET', '/admin/api/keys')) as { keys: { name: string; hint: string; createdAt: string }[] };
    if (keys.length === 0) return void console.log('no named keys yet: npx tactful keys create <name>');
    for (const k of keys) console.log(`${k.name.padEnd(24)} ${k.hint}…  created ${k.createdAt}`);
    return;
  }
  if (!name) throw new UsageError(`missing the key name after "keys ${command ?? ''}"`);
  if (command === 'create') {
    const created = (await admin('POST', '/admin/api/keys', { name })) as { name: string; key: string };
    console.log(`key ${created.name}: ${created.key}`);
    console.log('This is the only time it is shown: store it now (send it as x-api-key, or as the Segment write key).');
    return;
  }
  if (command === 'revoke') {
    await admin('POST', `/admin/api/keys/${encodeURIComponent(name)}/revoke`);
    return void console.log(`key ${name} revoked`);
  }
  throw new UsageError(`unknown command "keys ${command ?? ''}"`);
}
