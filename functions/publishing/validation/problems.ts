import type { Locale } from '../../domain/events/events';
import type { PublishedTemplate } from '../../domain/rendering/publishedTemplate';
import type { CompiledTemplate } from '../../domain/rendering/renderer';

/** What validation finds, and what it reports: shared by the walker, every check and the CLI's and console's views. */

export interface Problem {
  severity: 'error' | 'warning';
  /** Relative to the template's folder. */
  file: string;
  line?: number;
  message: string;
}

export interface SampleRender {
  sample: string;
  locale: Locale;
  subject: string;
  htmlBytes: number;
  textBytes: number;
  fieldsUsed: string[];
}

export interface ValidationReport {
  template: string;
  ok: boolean;
  problems: Problem[];
  renders: SampleRender[];
  /** Present when the template compiled: what publish would store. */
  published?: PublishedTemplate;
  /** The samples rendered with this, loaded once: the console's preview renders with it too. */
  loaded?: CompiledTemplate;
}

export const error = (file: string, message: string, line?: number): Problem => ({
  severity: 'error',
  file,
  message,
  ...(line ? { line } : {}),
});

export const warning = (file: string, message: string, line?: number): Problem => ({
  severity: 'warning',
  file,
  message,
  ...(line ? { line } : {}),
});
