import { PERSONALIZATION_LEVELS } from '../../../domain/customers/profile';
import { TEMPLATE_HELPERS } from '../../../domain/rendering/helpers';
import { error, type Problem } from '../problems';
import type { TemplateUse } from '../walker';

/**
 * Only tactful's helpers and Handlebars' built-in blocks are called, requireLevel names a level, no
 * partials or decorators (each template is self-contained), and no triple-stash inside a string.
 */
export function helperProblems(use: TemplateUse): Problem[] {
  const problems: Problem[] = [];
  for (const c of use.constructs) {
    if (c.kind === 'raw-in-string')
      problems.push(error(c.file, 'triple-stash is not allowed in strings: every value in a string is escaped', c.line));
    else if (c.kind === 'not-callable') problems.push(error(c.file, 'only helpers and fields can be called', c.line));
    else if (c.kind === 'partial')
      problems.push(error(c.file, 'partials and decorators are not supported: keep each template self-contained', c.line));
    else if (c.kind === 'helper' && !c.known)
      problems.push(error(c.file, `unknown helper "${c.name}" (known: ${TEMPLATE_HELPERS.join(', ')})`, c.line));
    else if (c.kind === 'block') {
      if (!c.known) problems.push(error(c.file, `unknown block helper "${c.name}"`, c.line));
      if (c.name === 'requireLevel' && !(PERSONALIZATION_LEVELS as readonly string[]).includes(c.firstString ?? '')) {
        problems.push(error(c.file, `requireLevel needs one of ${PERSONALIZATION_LEVELS.map((l) => `"${l}"`).join(', ')}`, c.line));
      }
    }
  }
  return problems;
}
