import { SUPPORTED_LOCALES } from '../../../domain/events/events';
import { lineOf, STRING_FILE, type TemplateFolder } from '../folder';
import { error, warning, type Problem } from '../problems';
import type { TemplateUse } from '../walker';

/**
 * Every string the template asks for is in every locale, every locale has what en.json has (and says
 * what it has that en.json does not), and en.json has nothing unused (unless some key is computed).
 */
export function stringProblems(use: TemplateUse, locales: TemplateFolder['locales']): Problem[] {
  const problems: Problem[] = [];
  const english = locales.en?.strings ?? {};
  for (const locale of SUPPORTED_LOCALES) {
    const entry = locales[locale];
    if (!entry) continue;
    const file = STRING_FILE(locale);
    const missing = new Set<string>();
    for (const asked of use.stringKeys) {
      if (!Object.hasOwn(entry.strings, asked.key) && !missing.has(asked.key)) {
        missing.add(asked.key);
        problems.push(error(file, `missing string "${asked.key}" (used in ${asked.file}:${asked.line})`));
      }
    }
    if (locale === 'en') continue;
    for (const key of Object.keys(entry.strings)) {
      if (!(key in english)) problems.push(warning(file, `string "${key}" is not in en.json`, lineOf(entry.raw, key)));
    }
    for (const key of Object.keys(english)) {
      if (!Object.hasOwn(entry.strings, key) && !missing.has(key)) problems.push(error(file, `missing string "${key}" that en.json has`));
    }
  }
  if (use.computedKeys) return problems;
  const usedKeys = new Set(['subject', 'preheader', ...use.stringKeys.map((u) => u.key)]);
  for (const key of Object.keys(english))
    if (!usedKeys.has(key)) problems.push(warning('locales/en.json', `string "${key}" is never used`, lineOf(locales.en!.raw, key)));
  return problems;
}
