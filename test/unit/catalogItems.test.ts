import type { z } from 'zod';
import {
  CAMPAIGN_SHAPE,
  campaignFromItem,
  FIELD_SHAPE,
  LOCALE_SHAPE,
  looksLikeCampaign,
  looksLikePublishedTemplate,
  publishedTemplateFromItem,
  SAMPLE_SHAPE,
  TEMPLATE_SHAPE,
} from '../../functions/adapters/dynamo/catalogItems';
import { campaignSchema } from '../../functions/domain/journeys/campaign';
import {
  fieldDeclarationSchema,
  localeStringsSchema,
  publishedTemplateSchema,
  type PublishedTemplate,
} from '../../functions/domain/rendering/publishedTemplate';
import { templateSampleSchema } from '../../functions/domain/rendering/sample';
import { compileTemplateSource, templatesDir } from '../../functions/publishing/templateSource';
import { abandonedCart } from './fixtures';

/** Keys a parsed value always has: not optional in the schema's output (defaults count as always there). */
const alwaysPresent = (schema: { shape: Record<string, z.ZodType> }): string[] =>
  Object.entries(schema.shape)
    .filter(([, field]) => field._zod.optout !== 'optional')
    .map(([key]) => key)
    .sort();
const checked = (shape: Record<string, unknown>, optional: string[] = []): string[] =>
  Object.keys(shape)
    .filter((k) => !optional.includes(k))
    .sort();

describe("reading catalog items without zod (the send path's cold start)", () => {
  let template: PublishedTemplate;
  beforeAll(async () => {
    template = publishedTemplateSchema.parse(await compileTemplateSource(templatesDir(), 'abandoned-cart', '2026-11-22T00:00:00Z'));
  });

  it('checks exactly the fields each schema always produces, so a field added with a default is noticed', () => {
    expect(checked(CAMPAIGN_SHAPE)).toEqual(alwaysPresent(campaignSchema));
    expect(checked(TEMPLATE_SHAPE, ['source', 'samples'])).toEqual(alwaysPresent(publishedTemplateSchema));
    expect(checked(FIELD_SHAPE)).toEqual(alwaysPresent(fieldDeclarationSchema));
    expect(checked(LOCALE_SHAPE)).toEqual(alwaysPresent(localeStringsSchema));
    expect(checked(SAMPLE_SHAPE)).toEqual(alwaysPresent(templateSampleSchema));
  });

  it('takes what a validated publish wrote as it is', async () => {
    expect(looksLikeCampaign(abandonedCart)).toBe(true);
    expect(await campaignFromItem(abandonedCart)).toBe(abandonedCart);
    expect(looksLikePublishedTemplate(template)).toBe(true);
    expect(await publishedTemplateFromItem({ pk: 'TEMPLATE#abandoned-cart', sk: `V#${template.version}`, ...template })).toEqual(template);
  });

  it('sends anything else through the full schema: defaults filled in, broken items refused', async () => {
    const { requiredLevel: _dropped, ...older } = abandonedCart;
    expect(looksLikeCampaign(older)).toBe(false);
    expect(await campaignFromItem(older)).toEqual({ ...abandonedCart, requiredLevel: 'basic' });
    expect(await campaignFromItem({ ...abandonedCart, steps: [] })).toBeUndefined();
    expect(await campaignFromItem('not a campaign')).toBeUndefined();

    const [locale, strings] = Object.entries(template.locales)[0]!;
    const { preheader: _p, ...withoutPreheader } = strings!;
    const olderTemplate = { ...template, locales: { ...template.locales, [locale]: withoutPreheader } };
    expect(looksLikePublishedTemplate(olderTemplate)).toBe(false);
    expect((await publishedTemplateFromItem(olderTemplate)).locales[locale as 'en']!.preheader).toBe('');
    await expect(publishedTemplateFromItem({ ...template, html: 42 })).rejects.toThrow();
  });
});
