import { SUPPORTED_LOCALES } from '../events';
import { MissingDataError } from './context';
import type { PublishedTemplate } from './publishedTemplate';
import { compileTemplate, TemplateRenderError } from './renderer';
import { renderSample } from './sample';
import { templateLimitProblems } from './templateLimits';

/** One reason a version cannot publish: the part of it (`html`, `locales.pl.strings.why`, `samples.default`) and why. */
export interface TemplateCheckProblem {
  part: string;
  message: string;
}

const SAMPLE_SHOP = { name: 'Sample Shop', postalAddress: 'ul. Przykładowa 1, 00-001 Warszawa' };

/**
 * What publishing checks before a version is stored, whoever publishes it: every part within the size
 * and nesting limits, every locale compiled, and every sample rendered in every locale under the same
 * render budget a send has — so a template that would freeze a render or a send never publishes.
 * (A sample lacking required data is validation's to report, with its file.)
 */
export function checkPublishedTemplate(published: PublishedTemplate): TemplateCheckProblem[] {
  const limits = templateLimitProblems(published);
  if (limits.length) return limits.map(({ part, message }) => ({ part, message }));
  let compiled;
  try {
    compiled = compileTemplate(published);
  } catch (error) {
    if (error instanceof TemplateRenderError) return [{ part: 'template', message: error.message }];
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
  return problems;
}
