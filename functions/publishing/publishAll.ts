import type { CatalogStore, PublishOutcome } from '../adapters/dynamo/catalogStore';
import type { Campaign } from '../domain/journeys/campaign';
import { precompileSubjects, precompileTemplate } from '../domain/rendering/precompile';
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
  // Variants' subjects are precompiled here, so one that cannot be stops the deploy before anything is written.
  const subjects = campaigns.map((campaign) => {
    const { specs, problems } = precompileSubjects(campaign);
    if (problems.length)
      throw new TemplateSourceError(
        campaign.id,
        problems.map(({ path, message }) => ({ file: 'campaign.json', path, message })),
      );
    return specs;
  });
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
    const outcome = await catalog.publishTemplate(template, precompileTemplate(template));
    report.templates.push({ name: template.name, version: template.version, outcome });
  }
  for (const [i, campaign] of campaigns.entries()) {
    await catalog.putCampaign(campaign, now, { subjects: subjects[i] });
    report.campaigns.push({ id: campaign.id, version: campaign.version });
  }
  return report;
}
