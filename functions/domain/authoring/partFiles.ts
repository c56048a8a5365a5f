import type { TemplateParts } from './draftParts';

/**
 * A template draft's parts as the files of a template folder (path → text), exactly as validation
 * writes them and `templates pull` saves them. Pure, with no imports that carry code, so the console's
 * editor shows its diff against the published version file by file, as a reviewer reads a folder.
 */
export function filesOfParts(parts: TemplateParts): { files: Record<string, string>; samples: Record<string, unknown> } {
  const manifest = { ...(parts.description !== undefined ? { description: parts.description } : {}), fields: parts.fields };
  const files: Record<string, string> = {
    'template.mjml': parts.mjml,
    'template.txt.hbs': parts.text,
    'template.json': `${JSON.stringify(manifest, null, 2)}\n`,
  };
  for (const [locale, strings] of Object.entries(parts.locales))
    if (strings) files[`locales/${locale}.json`] = `${JSON.stringify(strings, null, 2)}\n`;
  return { files, samples: parts.samples };
}

/** Every file of the folder, the samples included (samples/<id>.json), for a diff. */
export function folderFilesOfParts(parts: TemplateParts): Record<string, string> {
  const { files, samples } = filesOfParts(parts);
  for (const [id, sample] of Object.entries(samples)) files[`samples/${id}.json`] = `${JSON.stringify(sample, null, 2)}\n`;
  return files;
}
