/**
 * Publishes templates/ (MJML compiled once) and deploys the campaign definitions to a catalog table.
 * On AWS, after `npm run deploy`:  CATALOG_TABLE=<stack output CatalogTable> npm run templates:publish
 */
import { CatalogStore } from '../functions/adapters/dynamo/catalogStore';
import { createDocumentClient } from '../functions/adapters/dynamo/documentClient';
import { publishAll } from '../functions/publishing/publishAll';
import { templatesDir } from '../functions/publishing/templateSource';

async function main(): Promise<void> {
  const table = process.env['CATALOG_TABLE'];
  if (!table) {
    console.error('CATALOG_TABLE must name the catalog table (the stack output CatalogTable)');
    process.exit(2);
  }
  const report = await publishAll(templatesDir(), new CatalogStore(createDocumentClient(), table), new Date().toISOString());
  for (const t of report.templates) console.log(`template ${t.name}@${t.version}${t.outcome === 'held' ? ' not published: the template was rolled back (templates publish moves it on)' : ` ${t.outcome}`}`);
  for (const c of report.campaigns) console.log(`campaign ${c.id} v${c.version} deployed`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
