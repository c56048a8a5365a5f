/**
 * tactful's command line. Customer and campaign commands talk to a running tactful (npm start, or the
 * API on AWS) through the admin API; `privacy fields` reads the templates in this repository.
 *
 *   TACTFUL_URL        http://127.0.0.1:3000 (default) or the deployed API URL
 *   TACTFUL_ADMIN_KEY  dev-admin (default) or the AdminKeySecret value
 */
import { parseArgs } from 'node:util';
import { listTemplateNames, readCampaigns, readTemplateManifest, templatesDir } from '../functions/publishing/templateSource';
import { admin, UsageError } from './cli/adminClient';
import { templatesCommand, TEMPLATES_USAGE } from './cli/templates';
import { report } from './cli/report';
import { keysCommand } from './cli/keys';
import { AUTHORING_USAGE, campaignFiles, pauseOrResume, templateFiles } from './cli/authoring';
import { segmentsCommand, SEGMENTS_USAGE } from './cli/segments';
import { broadcastsCommand, BROADCASTS_USAGE } from './cli/broadcasts';

const USAGE = `usage: npx tactful <command>

  customers export <customerId> [--out file.json]   everything stored about a customer (audited)
  customers erase <customerId> --yes                 erase a customer's personal data (audited)
  customers jobs <customerId>                        journeys and why each was or was not sent
  customers find <email>                             the customer id(s) with exactly this address (audited)
  campaigns log <campaignId> [--day YYYY-MM-DD] [--outcome skipped]
                                                     one campaign's outcomes and reasons on a day
  campaigns deploy                                   validate, compile and publish templates/ and their campaigns
                                                     (CATALOG_TABLE, default tactful-catalog; DYNAMODB_ENDPOINT for npm start's)
  campaigns simulate <campaignId> [--events file.ndjson] [--out dir]
                                                     what it would send now (sending disabled), with samples
  audit [--day YYYY-MM-DD]                           who exported or erased whose data
  report [campaignId] [--since 7d|YYYY-MM-DD] [--until YYYY-MM-DD] [--json]
                                                     campaign results: funnel, rates, holdout lift (default 30d)
  privacy fields [--json]                            per campaign: the profile fields it reads, and at which level
  keys create <name>                                 a named API key for one of your systems (shown once)
  keys list                                          named API keys (names, hints and dates; never the keys)
  keys revoke <name>                                 revoke a named key
  deliveries [--status rejected] [--source shopify]  what happened to the last days' deliveries, refusals with errors
${TEMPLATES_USAGE}${AUTHORING_USAGE}${SEGMENTS_USAGE}${BROADCASTS_USAGE}
  An editor's key in TACTFUL_ADMIN_KEY works for what editors may do (pull, push without --publish).`;

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
  for (const r of rows)
    console.log([`${r.campaign} (${r.requiredLevel})`, r.template, r.field, r.level, r.required ? 'yes' : 'no'].join('\t'));
}

async function simulate(encoded: string, id: string, eventsFile: string | undefined, outDir: string | undefined): Promise<void> {
  const { readFileSync, mkdirSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const events = eventsFile
    ? readFileSync(eventsFile, 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line, i) => {
          try {
            return JSON.parse(line) as unknown;
          } catch {
            throw new UsageError(`${eventsFile}:${i + 1} is not a JSON event`);
          }
        })
    : undefined;
  const result = (await admin('POST', `/admin/api/campaigns/${encoded}/simulate`, events ? { events } : undefined)) as {
    customers: number;
    wouldSend: number;
    notSent: Record<string, number>;
    perVariant: Record<string, { send: number; notSent: number }>;
    samples: { customerId: string; locale: string; variant: string; subject: string; html: string; text: string }[];
  };
  console.log(`campaign ${id}: ${result.customers} customers, ${result.wouldSend} would be sent`);
  for (const [reason, n] of Object.entries(result.notSent)) console.log(`  not sent  ${reason.padEnd(28)} ${n}`);
  for (const [variant, v] of Object.entries(result.perVariant))
    console.log(`  variant   ${variant.padEnd(28)} ${v.send} sent, ${v.notSent} not`);
  const dir = outDir ?? `simulation-${id}`;
  mkdirSync(dir, { recursive: true });
  result.samples.forEach((s, i) => {
    writeFileSync(join(dir, `sample-${i + 1}-${s.locale}.html`), s.html);
    writeFileSync(join(dir, `sample-${i + 1}-${s.locale}.txt`), `Subject: ${s.subject}\n\n${s.text}`);
  });
  if (result.samples.length) console.log(`${result.samples.length} rendered samples written to ${dir}/`);
}

async function deploy(): Promise<void> {
  const { deployCatalog } = await import('./publish');
  await deployCatalog(process.env['CATALOG_TABLE'] ?? 'tactful-catalog', process.env['DYNAMODB_ENDPOINT']);
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      publish: { type: 'boolean' },
      events: { type: 'string' },
      out: { type: 'string' },
      locale: { type: 'string' },
      sample: { type: 'string' },
      profile: { type: 'string' },
      png: { type: 'boolean' },
      to: { type: 'string' },
      yes: { type: 'boolean' },
      day: { type: 'string' },
      outcome: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      json: { type: 'boolean' },
      status: { type: 'string' },
      source: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command, id] = positionals;
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));
  const query = new URLSearchParams({
    ...(values.day ? { day: values.day } : {}),
    ...(values.outcome ? { outcome: values.outcome } : {}),
  }).toString();
  if (values.help || !group) return void console.log(USAGE);
  if (group === 'templates' && (command === 'pull' || command === 'push')) {
    if (!id) throw new UsageError(`missing the template name after "templates ${command}"`);
    return templateFiles(command, id, values);
  }
  if (group === 'templates') return templatesCommand(command, id, values);
  if (group === 'privacy' && command === 'fields') return privacyFields(values.json ?? false);
  if (group === 'campaigns' && command === 'deploy') return deploy();
  if (group === 'audit') return print(await admin('GET', `/admin/api/audit${query ? `?${query}` : ''}`));
  if (group === 'keys' || group === 'deliveries') return keysCommand(group, command, id, values);
  if (group === 'segments') return segmentsCommand(command, id);
  if (group === 'broadcasts') return broadcastsCommand(command, id);
  if (group === 'report') return report({ campaign: command, since: values.since, until: values.until, json: values.json }, admin);
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
  if (group === 'customers' && command === 'find') return print(await admin('GET', `/admin/api/customers?email=${encoded}`));
  if (group === 'campaigns' && (command === 'pull' || command === 'push')) return campaignFiles(command, id, values);
  if (group === 'campaigns' && (command === 'pause' || command === 'resume')) return pauseOrResume(command, id);
  if (group === 'campaigns' && command === 'simulate') return simulate(encoded, id, values.events, values.out);
  if (group === 'campaigns' && command === 'log')
    return print(await admin('GET', `/admin/api/campaigns/${encoded}/log${query ? `?${query}` : ''}`));
  throw new UsageError(`unknown command "${positionals.join(' ')}"`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`tactful: ${error instanceof Error ? error.message : String(error)}`);
  if (
    error instanceof UsageError ||
    (error instanceof Error && error.name === 'TypeError' && /parseArgs|Unknown option/i.test(error.message))
  )
    console.error(USAGE);
  process.exit(error instanceof UsageError ? 2 : 1);
});
