import { SUPPORTED_LOCALES } from '../events/events';
import { MissingDataError } from './context';
import type { PublishedTemplate } from './publishedTemplate';
import { precompileTemplate } from './precompile';
import { loadTemplate, TemplateRenderError } from './renderer';
import { renderSample } from './sample';
import { templateLimitProblems } from './templateLimits';
import type { TemplateSpecs } from './templateSpecs';

/** One reason a version cannot publish: the part of it (`html`, `locales.pl.strings.why`, `samples.default`) and why. */
export interface TemplateCheckProblem {
  part: string;
  message: string;
}

/** The check's answer: why the version cannot publish, or (no problems) its specs, which publishing stores. */
export interface TemplateCheck {
  problems: TemplateCheckProblem[];
  specs?: TemplateSpecs;
}

const SAMPLE_SHOP = { name: 'Sample Shop', postalAddress: 'ul. Przykładowa 1, 00-001 Warszawa' };

/**
 * What publishing checks before a version is stored, whoever publishes it: every part within the size
 * and nesting limits, every locale precompiled, and every sample rendered in every locale under the
 * same render budget a send has — so a template that would freeze a render or a send never publishes.
 * (A sample lacking required data is validation's to report, with its file.) A version that passes
 * comes back with its specs, so what is stored is what was checked.
 */
export function checkPublishedTemplate(published: PublishedTemplate): TemplateCheck {
  const limits = templateLimitProblems(published);
  if (limits.length) return { problems: limits.map(({ part, message }) => ({ part, message })) };
  let specs, compiled;
  try {
    specs = precompileTemplate(published);
    compiled = loadTemplate(published, specs);
  } catch (error) {
    if (error instanceof TemplateRenderError) return { problems: [{ part: 'template', message: error.message }] };
    throw error;
  }
  const problems: TemplateCheckProblem[] = [];
  for (const [id, sample] of Object.entries(published.samples ?? {})) {
    for (const locale of SUPPORTED_LOCALES) {
      try {
        renderSample(compiled, sample, locale, { shop: SAMPLE_SHOP });
      } catch (error) {
        if (error instanceof MissingDataError) break;
        if (!(error instanceof TemplateRenderError)) throw error;
        problems.push({ part: `samples.${id}`, message: `${locale}: ${error.message}` });
        break;
      }
    }
  }
  return problems.length ? { problems } : { problems, specs };
}
