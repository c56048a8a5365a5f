import type { CatalogStore, PublishOutcome } from '../adapters/dynamo/catalogStore';
import type { Campaign } from '../domain/campaign';
import { listTemplateNames, readCampaigns, TemplateSourceError } from './templateSource';
import { validateTemplateInFolder } from './folderChecks';

export interface PublishReport {
  /** `held`: LATEST stays on the version someone rolled back to (publish the template itself to move on). */
  templates: { name: string; version: string; outcome: PublishOutcome }[];
  campaigns: { id: string; version: number }[];
}

/**
 * Publishes every template under `dir` and deploys the campaigns beside them. Fails before writing
 * anything if one does not validate (which includes rendering every sample in every locale).
 */
export async function publishAll(dir: string, catalog: CatalogStore, now: string): Promise<PublishReport> {
  const names = listTemplateNames(dir);
  const templates = [];
  for (const name of names) {
    const report = await validateTemplateInFolder(dir, name, now);
    const errors = report.problems.filter((p) => p.severity === 'error');
    if (!report.published || errors.length > 0) {
      throw new TemplateSourceError(
        name,
        errors.map((p) => ({ file: p.file, ...(p.line ? { line: p.line } : {}), path: '', message: p.message })),
      );
    }
    templates.push(report.published);
  }
  const campaigns: Campaign[] = names.flatMap((name) => readCampaigns(dir, name));
  // Duplicate ids and unknown templates were reported on their folders by validateTemplateInFolder.
  // Pinned versions are checked before anything is written: either already published, or in this deploy.
  for (const campaign of campaigns) {
    for (const [i, step] of campaign.steps.entries()) {
      if (!step.templateVersion) continue;
      const inThisDeploy = templates.some((t) => t.name === step.template && t.version === step.templateVersion);
      if (!inThisDeploy && !(await catalog.getTemplateVersion(step.template, step.templateVersion))) {
        throw new TemplateSourceError(campaign.id, [
          {
            file: 'campaign.json',
            path: `steps[${i}].templateVersion`,
            message: `${step.template} has no published version ${step.templateVersion}`,
          },
        ]);
      }
    }
  }
  const report: PublishReport = { templates: [], campaigns: [] };
  for (const template of templates) {
    report.templates.push({ name: template.name, version: template.version, outcome: await catalog.publishTemplate(template) });
  }
  for (const campaign of campaigns) {
    await catalog.putCampaign(campaign, now);
    report.campaigns.push({ id: campaign.id, version: campaign.version });
  }
  return report;
}
