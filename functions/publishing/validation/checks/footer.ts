import { error, type Problem } from '../problems';
import type { TemplateUse } from '../walker';

const NEEDS = ['links.unsubscribe', 'links.preferences', 'links.why', 'shop.postalAddress'];

/** Every marketing email says why it was sent (and links its /why page), how to stop it, and where the shop is. */
export function footerProblems(use: TemplateUse, parts: { mjml?: string; text?: string }): Problem[] {
  const problems: Problem[] = [];
  for (const [file, present] of [
    ['template.mjml', parts.mjml],
    ['template.txt.hbs', parts.text],
  ] as const) {
    if (present === undefined) continue;
    const paths = new Set(use.refs.filter((r) => r.file === file).map((r) => r.path));
    for (const need of NEEDS) if (!paths.has(need)) problems.push(error(file, `the footer must show {{${need}}}`));
    if (!use.stringKeys.some((u) => u.file === file && u.key === 'why'))
      problems.push(error(file, 'the footer must say why this email was sent: {{t "why"}}'));
  }
  return problems;
}
