import type { CatalogStore } from '../adapters/dynamo/catalogStore';
import type { Campaign } from '../domain/campaign';
import { compileTemplateSource, listTemplateNames, readCampaign, TemplateSourceError } from './templateSource';

export interface PublishReport {
  templates: { name: string; version: string; changed: boolean }[];
  campaigns: { id: string; version: number }[];
}

/** Publishes every template under `dir` and deploys the campaigns beside them. Fails before writing anything if one is invalid. */
export async function publishAll(dir: string, catalog: CatalogStore, now: string): Promise<PublishReport> {
  const names = listTemplateNames(dir);
  const templates = await Promise.all(names.map((name) => compileTemplateSource(dir, name, now)));
  const campaigns = names.map((name) => readCampaign(dir, name)).filter((c): c is Campaign => c !== undefined);
  for (const campaign of campaigns) {
    campaign.steps.forEach((step, i) => {
      if (!names.includes(step.template)) {
        throw new TemplateSourceError(campaign.id, [{ file: 'campaign.json', path: `steps[${i}].template`, message: `no template named "${step.template}"` }]);
      }
    });
  }
  const report: PublishReport = { templates: [], campaigns: [] };
  for (const template of templates) {
    const changed = await catalog.publishTemplate(template);
    report.templates.push({ name: template.name, version: template.version, changed });
  }
  for (const campaign of campaigns) {
    await catalog.putCampaign(campaign, now);
    report.campaigns.push({ id: campaign.id, version: campaign.version });
  }
  return report;
}
