import { folderValidator, partsOfFolder } from '../../functions/publishing/draftFolder';
import { templatesDir } from '../../functions/publishing/templateSource';
import { precompileSource } from '../../functions/domain/rendering/precompile';

/**
 * The console editor validates on every pause in typing, and keeps what MJML and Handlebars made of a
 * source it has seen (templateSource.ts, precompile.ts). What is kept must never stand in for a source
 * that changed, nor change when a caller changes what it was given.
 */
describe('what validation keeps between saves', () => {
  const now = '2026-12-02T10:00:00Z';

  it('reports a changed MJML at once, and the fixed one valid again', async () => {
    const parts = partsOfFolder(templatesDir(), 'abandoned-cart');
    expect((await folderValidator.validate('abandoned-cart', parts, now)).validation.ok).toBe(true);

    const broken = { ...parts, mjml: parts.mjml.replace('<mj-body', '<mj-body><mj-section><mj-text>no column</mj-text></mj-section') };
    const report = await folderValidator.validate('abandoned-cart', broken, now);
    expect(report.validation.ok).toBe(false);
    expect(report.validation.errors.some((e) => e.part === 'mjml' && /MJML/.test(e.message))).toBe(true);

    const again = await folderValidator.validate('abandoned-cart', parts, now);
    expect(again.validation).toEqual((await folderValidator.validate('abandoned-cart', structuredClone(parts), now)).validation);
    expect(again.validation.ok).toBe(true);
  });

  it('renders a changed subject, not the one before it', async () => {
    const parts = structuredClone(partsOfFolder(templatesDir(), 'abandoned-cart'));
    parts.locales.en!.subject = 'First subject';
    const first = await folderValidator.validate('abandoned-cart', parts, now);
    parts.locales.en!.subject = 'Second subject';
    const second = await folderValidator.validate('abandoned-cart', parts, now);
    expect(JSON.stringify(first.published?.locales.en)).toContain('First subject');
    expect(JSON.stringify(second.published?.locales.en)).toContain('Second subject');
    expect(JSON.stringify(second.published?.locales.en)).not.toContain('First subject');
  });

  it('gives each caller its own lists: changing one does not change the next answer', () => {
    const first = precompileSource('{{t "greeting"}} {{customer.firstName}}', true);
    first.strings.push('changed');
    first.partials.add('changed');
    const second = precompileSource('{{t "greeting"}} {{customer.firstName}}', true);
    expect(second.strings).not.toContain('changed');
    expect(second.partials.has('changed')).toBe(false);
    expect(second.spec).toBe(first.spec);
    // The escaping is part of what is kept by: the plain spec differs from the escaped one.
    expect(precompileSource('{{customer.firstName}}', false).spec).not.toBe(precompileSource('{{customer.firstName}}', true).spec);
  });
});
