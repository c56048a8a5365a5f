/**
 * Publishes templates/ (validated, MJML compiled once) and deploys the campaign definitions to a
 * catalog table. On AWS, after `npm run deploy`:  CATALOG_TABLE=<stack output CatalogTable> npm run templates:publish
 * (`npx tactful campaigns deploy` does the same.)
 */
import { CatalogStore } from '../functions/adapters/dynamo/catalogStore';
import { createDocumentClient } from '../functions/adapters/dynamo/documentClient';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../functions/local/services';
import { publishAll } from '../functions/publishing/publishAll';
import { templatesDir } from '../functions/publishing/templateSource';

/** `endpoint`: a DynamoDB Local (npm start's is http://127.0.0.1:8000); absent: AWS. */
export async function deployCatalog(table: string, endpoint?: string): Promise<void> {
  const client = createDocumentClient(endpoint ? { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS } : {});
  const report = await publishAll(templatesDir(), new CatalogStore(client, table), new Date().toISOString());
  for (const t of report.templates)
    console.log(
      `template ${t.name}@${t.version}` +
        (t.outcome === 'held' ? ' not published: the template was rolled back (templates publish moves it on)' : ` ${t.outcome}`),
    );
  for (const c of report.campaigns) console.log(`campaign ${c.id} v${c.version} deployed`);
}

if (require.main === module) {
  const table = process.env['CATALOG_TABLE'];
  if (!table) {
    console.error('CATALOG_TABLE must name the catalog table (the stack output CatalogTable)');
    process.exit(2);
  }
  deployCatalog(table, process.env['DYNAMODB_ENDPOINT']).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
