import { structuredPatch } from 'diff';
import { el } from './dom';

/**
 * The draft against the version sending now, file by file as in a template folder: what a reviewer
 * reads before publishing. Lines are text nodes, so nothing in a template becomes markup here.
 */
export function diffView(before: Record<string, string> | undefined, after: Record<string, string>): HTMLElement {
  if (!before) return el('p', {}, 'Not published yet: everything in the draft is new.');
  const files = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changed = files.filter((file) => before[file] !== after[file]);
  if (changed.length === 0) return el('p', {}, 'The draft is the same as the version sending now.');
  return el(
    'div',
    {},
    el('p', {}, `${changed.length} ${changed.length === 1 ? 'file differs' : 'files differ'} from the version sending now.`),
    changed.map((file) => {
      const patch = structuredPatch(file, file, before[file] ?? '', after[file] ?? '', '', '', { context: 2 });
      const what = before[file] === undefined ? ' (new)' : after[file] === undefined ? ' (removed)' : '';
      return el(
        'section',
        { class: 'diff-file' },
        el('h3', {}, file + what),
        patch.hunks.map((hunk) =>
          el(
            'pre',
            { class: 'diff', tabindex: 0, 'aria-label': `Changes in ${file} from line ${hunk.newStart}` },
            hunk.lines.map((line) =>
              el(
                'span',
                { class: line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'same' },
                // The sign stays: colour is not the only way to tell an added line from a removed one.
                line,
              ),
            ),
          ),
        ),
      );
    }),
  );
}
