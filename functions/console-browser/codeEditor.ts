import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { html } from '@codemirror/lang-html';
import { json } from '@codemirror/lang-json';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState, type Extension } from '@codemirror/state';
import {
  Decoration,
  drawSelection,
  EditorView,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  MatchDecorator,
  ViewPlugin,
  type DecorationSet,
  type ViewUpdate,
} from '@codemirror/view';

/**
 * CodeMirror 6 as the console uses it: line numbers, bracket matching, history, the HTML language for
 * MJML (it is HTML-like markup) or JSON for samples, and our Handlebars layer on top: `{{…}}`
 * expressions, `{{#block}}`/`{{/block}}`, `{{{raw}}}` and `{{! comments}}` each marked, in every mode.
 */

const MARKS = {
  comment: Decoration.mark({ class: 'cm-hbs-comment' }),
  block: Decoration.mark({ class: 'cm-hbs-block' }),
  raw: Decoration.mark({ class: 'cm-hbs-raw' }),
  expression: Decoration.mark({ class: 'cm-hbs-expression' }),
};

/** What kind of mustache a match is, from how it opens. */
export function mustacheKind(text: string): keyof typeof MARKS {
  if (text.startsWith('{{{')) return 'raw';
  const inner = text.slice(2).replace(/^~/, '');
  if (inner.startsWith('!')) return 'comment';
  if (/^[#/^]|^else\b/.test(inner)) return 'block';
  return 'expression';
}

const mustaches = new MatchDecorator({
  regexp: /\{\{\{[^}]*\}\}\}|\{\{!--.*?--\}\}|\{\{[^}]*\}\}/g,
  decoration: (match) => MARKS[mustacheKind(match[0])],
});

const handlebarsMarks = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = mustaches.createDeco(view);
    }
    update(update: ViewUpdate) {
      this.decorations = mustaches.updateDeco(update, this.decorations);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

/** Colours with at least 4.5:1 contrast on the editor's white, whatever the markup around them. */
const handlebarsTheme = EditorView.baseTheme({
  '.cm-hbs-expression, .cm-hbs-expression *': { color: '#0b4f8a', backgroundColor: '#eef4fb' },
  '.cm-hbs-block, .cm-hbs-block *': { color: '#6b1f7f', fontWeight: '600', backgroundColor: '#f6eefa' },
  '.cm-hbs-raw, .cm-hbs-raw *': { color: '#8a3700', backgroundColor: '#fff1e0' },
  '.cm-hbs-comment, .cm-hbs-comment *': { color: '#4f5b66', fontStyle: 'italic' },
});

/** Handlebars marks as one extension, for any language underneath. */
export const handlebars: Extension = [handlebarsMarks, handlebarsTheme];

const consoleTheme = EditorView.theme({
  '&': { fontSize: '13px', border: '1px solid #cbd2d9', borderRadius: '6px', backgroundColor: '#fff', maxWidth: '100%' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', minHeight: '12rem', maxHeight: '36rem' },
  '.cm-gutters': { backgroundColor: '#f4f5f7', color: '#52606d', borderRight: '1px solid #e4e7eb' },
  '&.cm-focused': { outline: '3px solid #f0b429' },
});

/** Markup and JSON colours, each at least 4.5:1 on white (CodeMirror's default style has lighter ones). */
const markupColours = HighlightStyle.define([
  { tag: [tags.tagName, tags.angleBracket, tags.propertyName], color: '#0b4f8a' },
  { tag: tags.attributeName, color: '#6b3e00' },
  { tag: [tags.attributeValue, tags.string], color: '#0b6e4f' },
  { tag: tags.comment, color: '#4f5b66', fontStyle: 'italic' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: '#8a1f11' },
  { tag: tags.keyword, color: '#6b1f7f' },
  { tag: tags.invalid, color: '#b42318' },
]);

export type CodeLanguage = 'mjml' | 'text' | 'json';

export interface CodeEditorOptions {
  parent: HTMLElement;
  doc: string;
  language: CodeLanguage;
  label: string;
  readOnly: boolean;
  onChange: (text: string) => void;
}

export function codeEditor(options: CodeEditorOptions): EditorView {
  const language = options.language === 'mjml' ? [html(), handlebars] : options.language === 'json' ? [json()] : [handlebars];
  return new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(markupColours),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.lineWrapping,
        language,
        consoleTheme,
        EditorState.readOnly.of(options.readOnly),
        // Focusable even when read-only: a keyboard can always reach and scroll it.
        EditorView.contentAttributes.of({ 'aria-label': options.label, tabindex: '0' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
}

/** Puts the cursor on a line (1-based), scrolls it into view and focuses the editor. */
export function goToLine(view: EditorView, line: number): void {
  const target = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
  view.dispatch({ selection: { anchor: target.from, head: target.to }, scrollIntoView: true });
  view.focus();
}

/** The validation's problems on this editor's lines, as the editor's own underlines and gutter marks. */
export function showProblems(view: EditorView, problems: { line?: number; message: string; severity: 'error' | 'warning' }[]): void {
  const diagnostics: Diagnostic[] = [];
  for (const p of problems) {
    if (!p.line || p.line > view.state.doc.lines) continue;
    const line = view.state.doc.line(p.line);
    diagnostics.push({ from: line.from, to: line.to, severity: p.severity, message: p.message });
  }
  view.dispatch(setDiagnostics(view.state, diagnostics));
}
