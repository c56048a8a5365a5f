import {
  type Catalog,
  type CatalogRecords,
  type TemplatePointer,
  type TemplateVersionSummary,
  UnknownTemplateVersionError,
} from './ports/catalog';
import { type Clock, isoNow } from './ports/clock';
import type { Mailer } from './ports/mailer';
import { shopOf } from './sending';
import { SUPPORTED_LOCALES, type Locale } from '../domain/events/events';
import type { PublishedTemplate } from '../domain/rendering/publishedTemplate';
import { compileTemplate } from '../domain/rendering/precompile';
import type { CompiledTemplate, RenderedEmail } from '../domain/rendering/renderer';
import { renderSample, type TemplateSample } from '../domain/rendering/sample';
import { checkPublishedTemplate, type TemplateCheck, type TemplateCheckProblem } from '../domain/rendering/templateCheck';
import type { AppConfig } from '../shared/config';
import { InvalidInputError, NotFoundError } from '../shared/errors';

/**
 * What marketers do with templates once written: publish a version, see the history, roll back,
 * preview any version with a sample recipient, and send themselves a test.
 */

export interface TemplateDeps {
  catalogStore: CatalogRecords;
  /** Compiles versions once per container; invalidated after publish and rollback, so this container sends the new version at once. */
  catalog: Catalog;
  clock: Clock;
  config: Pick<AppConfig, 'shopName' | 'shopPostalAddress' | 'fromAddress'>;
  mailer?: Mailer;
  /**
   * Precompiles a version and renders its samples under the send path's budget before it is stored:
   * on a worker thread with a time limit where the system runs (adapters/templateCheck/offThread.ts);
   * in this thread when not given. A version without problems comes back with its specs.
   */
  checkTemplate?: (published: PublishedTemplate) => Promise<TemplateCheck>;
}

/** A version that cannot publish: over a limit, not compiling, or a sample over the render budget. */
export class TemplateCheckError extends Error {
  override name = 'TemplateCheckError';
  constructor(
    readonly template: string,
    readonly problems: readonly TemplateCheckProblem[],
  ) {
    super(`${template} cannot be published: ${problems.map((p) => `${p.part} ${p.message}`).join('; ')}`);
  }
}

export class UnknownTemplateError extends NotFoundError {
  override name = 'UnknownTemplateError';
  constructor(
    readonly template: string,
    what = 'no published template named',
  ) {
    super(`${what} ${template}`, 'name');
  }
}

/** A sample named in a request's body (or query): bad input, not a missing resource. */
export class UnknownSampleError extends InvalidInputError {
  override name = 'UnknownSampleError';
  constructor(
    readonly template: string,
    readonly sample: string,
    readonly known: string[],
  ) {
    super(`template ${template} has no sample "${sample}"${known.length ? ` (it has ${known.join(', ')})` : ''}`, 'sample');
  }
}

export interface TemplateHistory {
  name: string;
  latest?: TemplatePointer;
  versions: (TemplateVersionSummary & { latest: boolean })[];
}

/** The publish check, as given, or in this thread. */
export const checkTemplateWith =
  (deps: Pick<TemplateDeps, 'checkTemplate'>) =>
  (published: PublishedTemplate): Promise<TemplateCheck> =>
    deps.checkTemplate ? deps.checkTemplate(published) : Promise.resolve(checkPublishedTemplate(published));

/**
 * A deliberate publish of one template: it moves LATEST even where a rollback had held it. What is
 * stored beside the version is the specs the check precompiled.
 */
export async function publishTemplateVersion(
  template: PublishedTemplate,
  deps: Pick<TemplateDeps, 'catalogStore' | 'catalog' | 'checkTemplate'>,
  /** Who publishes, and what they say it changes: kept with the version. */
  credit: { by: string; note?: string } = { by: 'api' },
): Promise<{ name: string; version: string; changed: boolean }> {
  const { problems, specs } = await checkTemplateWith(deps)(template);
  if (problems.length || !specs) throw new TemplateCheckError(template.name, problems);
  const outcome = await deps.catalogStore.publishTemplate(template, specs, { force: true, ...credit });
  deps.catalog.invalidate();
  return { name: template.name, version: template.version, changed: outcome === 'published' };
}

export async function rollbackTemplate(name: string, version: string, deps: TemplateDeps): Promise<TemplatePointer> {
  const versions = await deps.catalogStore.listTemplateVersions(name);
  if (!versions.some((v) => v.version === version)) throw new UnknownTemplateVersionError(name, version);
  // Back to anything but the newest version is a rollback, and holds against routine deploys.
  await deps.catalogStore.pointLatest(name, version, isoNow(deps.clock), versions[0]?.version !== version);
  deps.catalog.invalidate();
  const pointer = (await deps.catalogStore.listTemplatePointers()).find((p) => p.name === name);
  if (!pointer) throw new UnknownTemplateVersionError(name, version);
  return pointer;
}

export async function templateHistory(name: string, deps: Pick<TemplateDeps, 'catalogStore'>): Promise<TemplateHistory> {
  const [pointers, versions] = await Promise.all([deps.catalogStore.listTemplatePointers(), deps.catalogStore.listTemplateVersions(name)]);
  if (versions.length === 0) throw new UnknownTemplateError(name);
  const latest = pointers.find((p) => p.name === name);
  return { name, latest, versions: versions.map((v) => ({ ...v, latest: v.version === latest?.version })) };
}

export async function loadVersion(
  name: string,
  version: string | undefined,
  deps: Pick<TemplateDeps, 'catalogStore'>,
): Promise<PublishedTemplate> {
  const chosen = version ?? (await deps.catalogStore.latestTemplateVersion(name));
  if (!chosen) throw new UnknownTemplateError(name);
  const published = await deps.catalogStore.getTemplateVersion(name, chosen);
  if (!published) throw new UnknownTemplateVersionError(name, chosen);
  return published;
}

export interface PreviewRequest {
  locale: Locale;
  /** A sample stored with the version; or `sampleData`, e.g. a profile file given to the CLI. */
  sample?: string;
  sampleData?: TemplateSample;
}

export interface Preview {
  template: string;
  version: string;
  locale: Locale;
  sample: string;
  email: RenderedEmail;
  fieldsUsed: string[];
}

/** Renders a sample through `compiled` (by default compiled here, as the CLI does for a working copy). */
export function previewPublished(
  published: PublishedTemplate,
  request: PreviewRequest,
  config: TemplateDeps['config'],
  compiled: CompiledTemplate = compileTemplate(published, [request.locale]),
): Preview {
  const samples = published.samples ?? {};
  const known = Object.keys(samples).sort();
  const sampleId = request.sampleData ? 'custom' : (request.sample ?? (known.includes('default') ? 'default' : known[0]));
  const sample = request.sampleData ?? (sampleId && Object.hasOwn(samples, sampleId) ? samples[sampleId] : undefined);
  if (!sample) throw new UnknownSampleError(published.name, sampleId ?? '(none)', known);
  const { email, fieldsUsed } = renderSample(compiled, sample, request.locale, { shop: shopOf(config) });
  return { template: published.name, version: published.version, locale: request.locale, sample: sampleId!, email, fieldsUsed };
}

/**
 * A published version's preview, compiled through the catalog cache: each version compiles once per
 * container, the same cache the send path uses.
 */
export async function previewVersion(
  published: PublishedTemplate,
  request: PreviewRequest,
  deps: Pick<TemplateDeps, 'config' | 'catalog'>,
): Promise<Preview> {
  return previewPublished(published, request, deps.config, await deps.catalog.template(published.name, published.version));
}

export const isLocale = (value: unknown): value is Locale => (SUPPORTED_LOCALES as readonly unknown[]).includes(value);

/**
 * Sends a rendered sample to a marketer's own address. Marked as a test in the subject and in its SES
 * tags (so feedback and results ignore it), untracked; it takes no customer's frequency slot and has no real
 * unsubscribe link, because it goes to no customer.
 */
export async function sendTestEmail(preview: Preview, to: string, deps: TemplateDeps): Promise<{ messageId: string }> {
  if (!deps.mailer) throw new Error('test sends need a mailer');
  return deps.mailer.send({
    to,
    from: deps.config.fromAddress,
    subject: `[Test] ${preview.email.subject}`,
    html: preview.email.html,
    text: preview.email.text,
    headers: [],
    tags: [
      { name: 'test', value: 'true' },
      { name: 'template', value: preview.template },
    ],
    // Nobody consented to tracking a test: it goes through the untracked configuration set.
    tracking: false,
  });
}
