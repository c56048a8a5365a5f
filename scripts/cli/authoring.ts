import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DraftValidation, TemplateParts } from '../../functions/domain/authoring/draftParts';
import { filesOfParts, partsOfFolder, writeTemplateFolder } from '../../functions/publishing/draftFolder';
import { listTemplateNames, templatesDir } from '../../functions/publishing/templateSource';
import { admin, AdminApiError, UsageError } from './adminClient';

/**
 * Files stay first-class: pull a draft (or the published version) into a template folder, push a
 * folder as the draft, optionally publish it (what a CI job that keeps git as the source runs).
 */

export const AUTHORING_USAGE = `
  templates pull <name> [--dir D]                    the draft (or the published version) as a folder D/<name>/ (default templates/)
  templates push <name> [--dir D] [--publish]        upload D/<name>/ as the draft (exit 1 if it does not validate);
                                                     --publish: then publish it
  campaigns pull <campaignId> [--dir D]              the campaign's draft (or running definition) into its campaign.json
  campaigns push <campaignId> [--dir D] [--publish]  upload that campaign.json as the draft; --publish: then publish it
  campaigns pause <campaignId>                       hold the campaign's due steps until resume
  campaigns resume <campaignId>                      release the held steps, spread over minutes, each through the usual checks
`;

interface Draft {
  name: string;
  revision: number;
  parts: unknown;
  validation: DraftValidation;
}

const dirOf = (dir: string | undefined): string => dir ?? templatesDir();
const say = (validation: DraftValidation): string =>
  [
    ...validation.errors.map((e) => `  error   ${e.part}${e.line ? `:${e.line}` : ''} ${e.message}`),
    ...validation.warnings.map((w) => `  warning ${w.part}${w.line ? `:${w.line}` : ''} ${w.message}`),
  ].join('\n');

async function currentRevision(path: string): Promise<number> {
  try {
    return ((await admin('GET', path)) as Draft).revision;
  } catch (error) {
    if (error instanceof AdminApiError && error.status === 404) return 0;
    throw error;
  }
}

/** Saves, says what validation found, and publishes when asked and valid; exit status 1 when it does not validate. */
async function push(path: string, parts: unknown, what: string, publish: boolean): Promise<void> {
  // The folder is the source here: it replaces whatever revision the draft is at.
  const revision = await currentRevision(path);
  const saved = (await admin('PUT', path, { revision, parts })) as { revision: number; validation: DraftValidation };
  console.log(`${what}: saved as draft revision ${saved.revision}${saved.validation.ok ? ', valid' : ''}`);
  if (!saved.validation.ok || saved.validation.warnings.length) console.log(say(saved.validation));
  if (!saved.validation.ok) {
    process.exitCode = 1;
    return;
  }
  if (!publish) return;
  const answer = (await admin('POST', `${path}/publish`)) as { version?: unknown; awaitingApproval?: { requestedBy: string } };
  console.log(
    answer.awaitingApproval
      ? `${what}: waiting for a second publisher to approve`
      : `${what}: published as version ${String(answer.version)}`,
  );
}

export async function templateFiles(command: 'pull' | 'push', name: string, options: { dir?: string; publish?: boolean }): Promise<void> {
  const dir = dirOf(options.dir);
  const path = `/admin/api/templates/${encodeURIComponent(name)}/draft`;
  if (command === 'pull') {
    const draft = (await admin('GET', path)) as Draft;
    const { files, samples } = filesOfParts(draft.parts as TemplateParts);
    writeTemplateFolder(dir, name, files, samples);
    return void console.log(
      `${name}: ${draft.revision ? `draft revision ${draft.revision}` : 'the published version'} written to ` +
        `${relative(process.cwd(), join(dir, name)) || '.'}/`,
    );
  }
  if (!existsSync(join(dir, name, 'template.mjml'))) throw new UsageError(`no template folder ${join(dir, name)}/ (with template.mjml)`);
  return push(path, partsOfFolder(dir, name), name, options.publish ?? false);
}

/** Where a campaign lives in the folders: campaign.json, or an element of campaigns.json. */
function findCampaign(dir: string, id: string): { file: string; index?: number; raw: unknown } | undefined {
  for (const name of listTemplateNames(dir)) {
    for (const file of ['campaign.json', 'campaigns.json']) {
      const path = join(dir, name, file);
      if (!existsSync(path)) continue;
      const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      if (Array.isArray(raw)) {
        const index = raw.findIndex((c: { id?: unknown }) => c?.id === id);
        if (index >= 0) return { file: path, index, raw: raw[index] };
      } else if ((raw as { id?: unknown })?.id === id) return { file: path, raw };
    }
  }
  return undefined;
}

export async function campaignFiles(command: 'pull' | 'push', id: string, options: { dir?: string; publish?: boolean }): Promise<void> {
  const dir = dirOf(options.dir);
  const path = `/admin/api/campaigns/${encodeURIComponent(id)}/draft`;
  const found = findCampaign(dir, id);
  if (command === 'push') {
    if (!found) throw new UsageError(`no campaign "${id}" in ${relative(process.cwd(), dir) || dir}/*/campaign(s).json`);
    return push(path, found.raw, id, options.publish ?? false);
  }
  const draft = (await admin('GET', path)) as Draft & { parts: { steps?: { template?: string }[] } };
  let file = found?.file;
  if (!file) {
    const home = draft.parts.steps?.[0]?.template;
    if (!home || !existsSync(join(dir, home)))
      throw new UsageError(`campaign ${id} has no folder here: create ${join(dir, home ?? '<template>')}/ first`);
    file = join(dir, home, 'campaign.json');
    if (existsSync(file)) throw new UsageError(`${file} holds another campaign: move one of them to campaigns.json`);
  }
  if (found?.index !== undefined) {
    const all = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
    all[found.index] = draft.parts;
    writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  } else writeFileSync(file, `${JSON.stringify(draft.parts, null, 2)}\n`);
  console.log(
    `${id}: ${draft.revision ? `draft revision ${draft.revision}` : 'the running definition'} written to ${relative(process.cwd(), file)}`,
  );
}

export async function pauseOrResume(command: 'pause' | 'resume', id: string): Promise<void> {
  const answer = (await admin('POST', `/admin/api/campaigns/${encodeURIComponent(id)}/${command}`)) as {
    paused: boolean;
    released?: number;
  };
  console.log(
    answer.paused
      ? `${id} is paused: due steps are held until resume`
      : `${id} is running again: ${answer.released ?? 0} held step(s) released, each through the usual checks`,
  );
}
