import { sourceLimitProblems } from '../../../domain/rendering/templateLimits';
import { error, type Problem } from '../problems';
import type { Source } from '../walker';

/** Size and nesting of one source, before Handlebars parses it: its parser is slow on deep nesting. */
export function limitProblems(src: Source): Problem[] {
  return sourceLimitProblems([src.part], src.source, src.maxBytes).map((p) =>
    error(src.file, `${src.part} ${p.message}`, src.lineOffset + 1),
  );
}
