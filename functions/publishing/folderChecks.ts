import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Campaign } from '../domain/journeys/campaign';
import { listTemplateNames, readCampaigns, readTemplateManifest } from './templateSource';
import { validateTemplate, type Problem, type ValidationReport } from './templateValidation';

/**
 * What only the whole templates/ folder can tell: a campaign id used in two folders (deploying would fail,
 * naming neither), a step or variant that names a template no folder has, and a template no campaign
 * sends. Reported on the folder that has to change, with the other folder named.
 */
export function crossFolderProblems(dir: string, names: readonly string[] = listTemplateNames(dir)): Map<string, Problem[]> {
  const problems = new Map<string, Problem[]>(names.map((n) => [n, []]));
  const add = (name: string, problem: Problem) => problems.get(name)?.push(problem);
  const campaignsOf = new Map<string, Campaign[]>();
  for (const name of names) {
    try {
      campaignsOf.set(name, readCampaigns(dir, name));
    } catch {
      // A campaign file that does not parse is the folder's own validation error (validateTemplate).
      campaignsOf.set(name, []);
    }
  }
  const fileOf = (name: string): string => (existsSync(join(dir, name, 'campaigns.json')) ? 'campaigns.json' : 'campaign.json');

  const foldersById = new Map<string, string[]>();
  for (const [name, campaigns] of campaignsOf) for (const c of campaigns) foldersById.set(c.id, [...(foldersById.get(c.id) ?? []), name]);
  for (const [id, folders] of foldersById) {
    if (folders.length < 2) continue;
    for (const name of new Set(folders)) {
      const others = [...new Set(folders.filter((f) => f !== name))];
      add(name, {
        severity: 'error',
        file: fileOf(name),
        message: others.length
          ? `campaign id "${id}" is also used in templates/${others.join(', templates/')}: every campaign needs its own id`
          : `campaign id "${id}" is used twice in this folder: every campaign needs its own id`,
      });
    }
  }

  const sent = new Set<string>();
  for (const [name, campaigns] of campaignsOf) {
    for (const c of campaigns) {
      const named = [
        ...c.steps.map((s, i) => ({ template: s.template, path: `steps[${i}].template` })),
        ...(c.variants ?? []).flatMap((v, i) => (v.template ? [{ template: v.template, path: `variants[${i}].template` }] : [])),
      ];
      for (const { template, path } of named) {
        sent.add(template);
        if (!names.includes(template))
          add(name, { severity: 'error', file: fileOf(name), message: `campaign "${c.id}" ${path}: no template named "${template}"` });
      }
    }
  }
  const forBroadcasts = (name: string): boolean => {
    try {
      return readTemplateManifest(dir, name).sentBy === 'broadcasts';
    } catch {
      return false; // a template.json that does not parse is the folder's own validation error
    }
  };
  for (const name of names) {
    if (!sent.has(name) && !forBroadcasts(name))
      add(name, {
        severity: 'warning',
        file: 'template.json',
        message: `no campaign sends this template: no campaign's step or variant names "${name}" (a broadcast still can)`,
      });
  }
  return problems;
}

/** One template's validation together with what the folder around it says about it. */
export async function validateTemplateInFolder(dir: string, name: string, now?: string): Promise<ValidationReport> {
  const report = await validateTemplate(dir, name, now);
  const extra = crossFolderProblems(dir).get(name) ?? [];
  if (extra.length === 0) return report;
  const problems = [...report.problems, ...extra].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  return { ...report, problems, ok: !problems.some((p) => p.severity === 'error') };
}
