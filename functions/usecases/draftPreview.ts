import { isoNow } from './ports/clock';
import type { DraftValidation, TemplateParts } from '../domain/authoring/draftParts';
import type { Principal } from '../domain/authoring/roles';
import type { Locale } from '../domain/events/events';
import type { PublishedTemplate } from '../domain/rendering/publishedTemplate';
import { compileTemplate, precompileSource } from '../domain/rendering/precompile';
import { loadSpec, type CompiledTemplate } from '../domain/rendering/renderer';
import { renderSample } from '../domain/rendering/sample';
import { storeTemplateDraft, type AuthoringDeps } from './authoring';
import { previewPublished, sendTestEmail, type Preview, type TemplateDeps } from './templates';
import { shopOf } from './sending';

/**
 * The console editor's live preview: a draft's parts validated (the code of `templates validate`),
 * compiled, and one sample rendered by the send path's renderer (compileTemplate, renderSample), as
 * the email and as its inbox line (subject and preheader). Saving and previewing share one validation.
 */

export interface PreviewView {
  locale: Locale;
  sample?: string;
}

export interface DraftPreview {
  locale: Locale;
  sample: string;
  /** Every sample the draft has, for the editor's switch. */
  samples: string[];
  subject: string;
  preheader: string;
  html: string;
  text: string;
  fieldsUsed: string[];
}

export interface DraftPreviewAnswer {
  validation: DraftValidation;
  preview?: DraftPreview;
  /** Why there is no preview: the draft does not compile, or the sample cannot render. */
  previewError?: string;
}

export type DraftPreviewDeps = AuthoringDeps & { config: TemplateDeps['config'] };

/** The preheader as the inbox shows it: the locale's preheader rendered like a subject, through the same renderer. */
const PREHEADER_AS_SUBJECT = loadSpec(precompileSource('{{t "preheader"}}', false).spec);

function render(
  compiled: PublishedTemplate,
  loaded: CompiledTemplate | undefined,
  parts: TemplateParts,
  view: PreviewView,
  config: TemplateDeps['config'],
): DraftPreview {
  // What validation rendered its samples with, when it did: compiled once per save.
  const template = loaded ?? compileTemplate(compiled, [view.locale]);
  const preview = previewPublished(compiled, view, config, template);
  const sample = compiled.samples?.[preview.sample];
  const shownLocale = parts.locales[view.locale] ? view.locale : 'en';
  const preheader =
    sample && parts.locales[shownLocale]?.preheader
      ? renderSample(template, sample, view.locale, { shop: shopOf(config), subject: PREHEADER_AS_SUBJECT }).email.subject
      : '';
  return {
    locale: preview.locale,
    sample: preview.sample,
    samples: Object.keys(compiled.samples ?? {}).sort(),
    subject: preview.email.subject,
    preheader,
    html: preview.email.html,
    text: preview.email.text,
    fieldsUsed: preview.fieldsUsed,
  };
}

function previewOf(
  { compiled, loaded }: { compiled?: PublishedTemplate; loaded?: CompiledTemplate },
  parts: TemplateParts,
  view: PreviewView,
  config: TemplateDeps['config'],
): Pick<DraftPreviewAnswer, 'preview' | 'previewError'> {
  if (!compiled) return { previewError: 'the draft does not compile: fix the errors listed to see it' };
  try {
    return { preview: render(compiled, loaded, parts, view, config) };
  } catch (error) {
    // A sample that cannot render (missing data, a helper failing) is the editor's to read, not a crash.
    return { previewError: error instanceof Error ? error.message : String(error) };
  }
}

/** Validates and previews parts without saving them (what a viewer sees, and a switch of locale or sample). */
export async function previewTemplateParts(
  name: string,
  parts: TemplateParts,
  view: PreviewView,
  deps: DraftPreviewDeps,
): Promise<DraftPreviewAnswer> {
  const checked = await deps.templateValidator.validate(name, parts, isoNow(deps.clock));
  return { validation: checked.validation, ...previewOf(checked, parts, view, deps.config) };
}

/** Saves the draft (409 on a stale revision, as the API) and previews it, validated once for both. */
export async function saveAndPreviewTemplateDraft(
  name: string,
  revision: number | undefined,
  parts: TemplateParts,
  view: PreviewView,
  principal: Principal,
  deps: DraftPreviewDeps,
): Promise<DraftPreviewAnswer & { revision: number }> {
  const checked = await deps.templateValidator.validate(name, parts, isoNow(deps.clock));
  const saved = await storeTemplateDraft(name, revision, parts, checked.validation, principal, deps);
  return { revision: saved.revision, validation: checked.validation, ...previewOf(checked, parts, view, deps.config) };
}

/** Sends the draft as previewed to one address, marked [Test] (the caller checked the allow-list and the rate). */
export async function testSendTemplateParts(
  name: string,
  parts: TemplateParts,
  view: PreviewView,
  to: string,
  deps: DraftPreviewDeps & Pick<TemplateDeps, 'mailer'>,
): Promise<{ messageId: string; preview: Preview } | { previewError: string }> {
  const { compiled } = await deps.templateValidator.validate(name, parts, isoNow(deps.clock));
  if (!compiled) return { previewError: 'the draft does not compile: fix the errors listed first' };
  let preview: Preview;
  try {
    preview = previewPublished(compiled, view, deps.config);
  } catch (error) {
    return { previewError: error instanceof Error ? error.message : String(error) };
  }
  const { messageId } = await sendTestEmail(preview, to, deps);
  return { messageId, preview };
}
