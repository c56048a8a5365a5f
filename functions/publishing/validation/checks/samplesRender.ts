import { SUPPORTED_LOCALES } from '../../../domain/events/events';
import { MissingDataError } from '../../../domain/rendering/context';
import { compileTemplate } from '../../../domain/rendering/precompile';
import type { PublishedTemplate } from '../../../domain/rendering/publishedTemplate';
import type { CompiledTemplate } from '../../../domain/rendering/renderer';
import { renderSample } from '../../../domain/rendering/sample';
import { error, warning, type Problem, type SampleRender } from '../problems';

/** Gmail clips messages whose HTML is larger than this, hiding the footer (and its unsubscribe link). */
export const GMAIL_CLIP_BYTES = 102 * 1024;

/**
 * Every sample renders in every locale through the send path's renderer, under Gmail's clipping size,
 * with a plain-text part and no "undefined" in sight.
 */
export function renderSamples(published: PublishedTemplate): { problems: Problem[]; renders: SampleRender[]; loaded?: CompiledTemplate } {
  const problems: Problem[] = [];
  const renders: SampleRender[] = [];
  const samples = Object.entries(published.samples ?? {});
  if (samples.length === 0) {
    problems.push(warning('samples/', 'no samples: add samples/<name>.json so the template can be previewed and render-checked'));
    return { problems, renders };
  }
  // With the generic parts only (no locale's strings written in): they render the same, checked by
  // test/unit/localeParts.test.ts, and an editor's save then precompiles no part once per locale.
  const loaded = compileTemplate(published, []);
  const shop = { name: 'Sample Shop', postalAddress: 'ul. Przykładowa 1, 00-001 Warszawa' };
  for (const [id, sample] of samples) {
    const file = `samples/${id}.json`;
    for (const locale of SUPPORTED_LOCALES) {
      try {
        const { email, fieldsUsed } = renderSample(loaded, sample, locale, { shop });
        const htmlBytes = Buffer.byteLength(email.html);
        renders.push({ sample: id, locale, subject: email.subject, htmlBytes, textBytes: Buffer.byteLength(email.text), fieldsUsed });
        if (htmlBytes > GMAIL_CLIP_BYTES)
          problems.push(error(file, `${locale}: HTML is ${Math.ceil(htmlBytes / 1024)} KB; Gmail clips above 102 KB`));
        if (!email.text.trim()) problems.push(error(file, `${locale}: the plain-text part is empty`));
        if (/\bundefined\b|\[object Object\]/.test(email.html + email.text))
          problems.push(warning(file, `${locale}: the output contains "undefined" or "[object Object]"`));
      } catch (e) {
        if (e instanceof MissingDataError) problems.push(error(file, `lacks required data: ${e.fields.join(', ')}`));
        else problems.push(error(file, `${locale}: ${e instanceof Error ? e.message : String(e)}`));
        break;
      }
    }
  }
  return { problems, renders, loaded };
}
