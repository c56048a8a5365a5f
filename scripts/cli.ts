/**
 * tactful's command line. Customer and campaign commands talk to a running tactful (npm start, or the
 * API on AWS) through the admin API; `privacy fields` reads the templates in this repository.
 *
 *   TACTFUL_URL        http://127.0.0.1:3000 (default) or the deployed API URL
 *   TACTFUL_ADMIN_KEY  dev-admin (default) or the AdminKeySecret value
 */
import { parseArgs } from 'node:util';
import { listTemplateNames, readCampaigns, readTemplateManifest, templatesDir } from '../functions/publishing/templateSource';

const USAGE = `usage: npx tactful <command>

  customers export <customerId> [--out file.json]   everything stored about a customer (audited)
  customers erase <customerId> --yes                 erase a customer's personal data (audited)
  customers jobs <customerId>                        journeys and why each was or was not sent
  campaigns log <campaignId> [--day YYYY-MM-DD] [--outcome skipped]
                                                     one campaign's outcomes and reasons on a day
  audit [--day YYYY-MM-DD]                           who exported or erased whose data
  privacy fields [--json]                            per campaign: the profile fields it reads, and at which level
`;

class UsageError extends Error {
  override name = 'UsageError';
}

async function admin(method: 'GET' | 'POST', path: string): Promise<unknown> {
  const base = (process.env['TACTFUL_URL'] ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  const key = process.env['TACTFUL_ADMIN_KEY'] ?? 'dev-admin';
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${key}` } });
  } catch {
    throw new Error(`cannot reach tactful at ${base}: is it running (npm start), or is TACTFUL_URL right?`);
  }
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

function privacyFields(asJson: boolean): void {
  const dir = templatesDir();
  const rows = listTemplateNames(dir).flatMap((name) =>
    readCampaigns(dir, name).flatMap((campaign) =>
      campaign.steps.flatMap((step) =>
      Object.entries(readTemplateManifest(dir, step.template).fields).map(([field, d]) => ({
        campaign: campaign.id,
        requiredLevel: campaign.requiredLevel,
        step: step.id,
        template: step.template,
        field,
        level: d.level,
        required: d.required,
      })),
      ),
    ),
  );
  if (asJson) return void console.log(JSON.stringify(rows, null, 2));
  console.log(['campaign (needs level)', 'template', 'field', 'level', 'required'].join('\t'));
  for (const r of rows) console.log([`${r.campaign} (${r.requiredLevel})`, r.template, r.field, r.level, r.required ? 'yes' : 'no'].join('\t'));
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, yes: { type: 'boolean' }, day: { type: 'string' }, outcome: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [group, command, id] = positionals;
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));
  const query = new URLSearchParams({ ...(values.day ? { day: values.day } : {}), ...(values.outcome ? { outcome: values.outcome } : {}) }).toString();
  if (values.help || !group) return void console.log(USAGE);
  if (group === 'privacy' && command === 'fields') return privacyFields(values.json ?? false);
  if (group === 'audit') return print(await admin('GET', `/admin/api/audit${query ? `?${query}` : ''}`));
  if (!id) throw new UsageError(`missing the id after "${group} ${command ?? ''}"`);
  const encoded = encodeURIComponent(id);
  if (group === 'customers' && command === 'export') {
    const data = await admin('GET', `/admin/api/customers/${encoded}/export`);
    if (!values.out) return print(data);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(values.out, JSON.stringify(data, null, 2));
    return void console.log(`written to ${values.out}`);
  }
  if (group === 'customers' && command === 'erase') {
    if (!values.yes) throw new UsageError('erasing cannot be undone: add --yes to confirm');
    return print(await admin('POST', `/admin/api/customers/${encoded}/erase`));
  }
  if (group === 'customers' && command === 'jobs') return print(await admin('GET', `/admin/api/customers/${encoded}/jobs`));
  if (group === 'campaigns' && command === 'log') return print(await admin('GET', `/admin/api/campaigns/${encoded}/log${query ? `?${query}` : ''}`));
  throw new UsageError(`unknown command "${positionals.join(' ')}"`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`tactful: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof UsageError || (error instanceof Error && error.name === 'TypeError' && /parseArgs|Unknown option/i.test(error.message))) console.error(USAGE);
  process.exit(error instanceof UsageError ? 2 : 1);
});
