import { checkTemplateOffThread, TemplateCheckTimeoutError } from '../../functions/adapters/templateCheck/offThread';
import type { PublishedTemplate } from '../../functions/domain/rendering/publishedTemplate';
import { checkPublishedTemplate } from '../../functions/domain/rendering/templateCheck';
import { compileTemplateSource, templatesDir } from '../../functions/publishing/templateSource';

/** What every publish checks, and that it runs apart from the caller's thread. */
describe('the publish check', () => {
  let reminder: PublishedTemplate;
  let bomb: PublishedTemplate;
  beforeAll(async () => {
    reminder = await compileTemplateSource(templatesDir(), 'abandoned-cart', '2026-11-22T00:00:00Z');
    const sample = reminder.samples!['default']!;
    const cart = sample.data['cart'] as { items: unknown[] };
    const items = Array.from({ length: 100 }, () => cart.items[0]);
    bomb = {
      ...reminder,
      html: reminder.html.replace('</body>', `${'{{#each @root.cart.items}}'.repeat(4)}x${'{{/each}}'.repeat(4)}</body>`),
      samples: { big: { ...sample, data: { ...sample.data, cart: { ...cart, items } } } },
    };
  });

  /** What a version that passes comes back with: its specs, which publishing stores. */
  const passes = (template: PublishedTemplate) => ({
    problems: [],
    specs: expect.objectContaining({ name: template.name, version: template.version, html: expect.any(String) }),
  });

  it('passes a shipped template with its specs and names the sample that goes over the render budget', () => {
    expect(checkPublishedTemplate(reminder)).toEqual(passes(reminder));
    const message = expect.stringMatching(/^en: .*went over its budget of 10,000 loop iterations/);
    expect(checkPublishedTemplate(bomb)).toEqual({ problems: [{ part: 'samples.big', message }] });
  });

  it('names the part over a limit before compiling anything', () => {
    const nested = { ...reminder, text: `${'{{#if 1}}'.repeat(100)}x${'{{/if}}'.repeat(100)}` };
    const message = 'nests blocks 100 deep; at most 24 is allowed (each {{else if}} counts as one)';
    expect(checkPublishedTemplate(nested)).toEqual({ problems: [{ part: 'text', message }] });
  });

  it('gives the same answers from a worker thread', async () => {
    await expect(checkTemplateOffThread(reminder)).resolves.toEqual(checkPublishedTemplate(reminder));
    await expect(checkTemplateOffThread(reminder)).resolves.toEqual(passes(reminder));
    await expect(checkTemplateOffThread(bomb)).resolves.toEqual(checkPublishedTemplate(bomb));
  });

  it('ends the worker and refuses the version when the time limit passes first', async () => {
    // A limit of 0: a worker cannot answer before the event loop's next turn, so the limit always wins.
    await expect(checkTemplateOffThread(reminder, 0)).rejects.toBeInstanceOf(TemplateCheckTimeoutError);
  });
});
