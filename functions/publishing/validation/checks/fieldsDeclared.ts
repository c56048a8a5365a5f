import { ALWAYS_AVAILABLE } from '../../../domain/rendering/context';
import type { FieldDeclaration } from '../../../domain/rendering/publishedTemplate';
import { error, type Problem } from '../problems';
import type { TemplateUse } from '../walker';

/** Shapes of the always-available data, so a typo there is caught too (step.* is free-form). */
const KNOWN_ALWAYS: Record<string, readonly string[] | undefined> = {
  links: ['unsubscribe', 'preferences', 'why'],
  shop: ['name', 'postalAddress', 'logoUrl', 'brandColor', 'supportAddress'],
  step: undefined,
};

/**
 * Every path the template reads is declared in template.json (or always available), every declared
 * field is read (so nothing is collected for an email that does not show it), and no customer data
 * goes in unescaped.
 */
export function fieldProblems(use: TemplateUse, fields: Record<string, FieldDeclaration>): Problem[] {
  const problems: Problem[] = [];
  const declared = Object.keys(fields);
  const used = new Set<string>();
  const reported = new Set<string>();
  for (const ref of use.refs) {
    const bare = ref.path.replace(/\[\]/g, '');
    const [root = '', child] = bare.split('.');
    const inStrings = ref.file.startsWith('locales/');
    let customerData = false;
    const report = (message: string): void => {
      const key = `${ref.file}:${ref.line}:${bare}`;
      if (reported.has(key)) return;
      problems.push(error(ref.file, message, ref.line));
      reported.add(key);
    };
    if ((ALWAYS_AVAILABLE as readonly string[]).includes(root)) {
      const known = KNOWN_ALWAYS[root];
      if (known && child !== undefined && !known.includes(child)) report(`"${bare}" does not exist (${root} has ${known.join(', ')})`);
    } else if (inStrings && use.stringParams.has(root)) {
      // a parameter the {{t}} call passes in
    } else {
      const under = declared.find((d) => bare === d || bare.startsWith(`${d}.`));
      const parent = declared.some((d) => d.startsWith(`${bare}.`));
      if (under) used.add(under);
      customerData = Boolean(under || parent);
      if (!under && !parent) report(`undeclared variable "${bare}": declare it in template.json with its type and personalization level`);
    }
    if (customerData && !ref.escaped)
      problems.push(error(ref.file, `triple-stash on "${bare}" would insert customer data unescaped: use {{${bare}}}`, ref.line));
  }
  for (const field of declared) {
    if (!used.has(field))
      problems.push(error('template.json', `"${field}" is declared but never used: remove it, so it is not collected for this email`));
  }
  return problems;
}
