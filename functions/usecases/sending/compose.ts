import type { Campaign } from '../../domain/journeys/campaign';
import { type Job } from '../../domain/journeys/job';
import { type Cart, type Profile } from '../../domain/customers/profile';
import { trackingFor } from '../../domain/rendering/links';
import { candidateContext, pickDeclared, type Links, type Shop } from '../../domain/rendering/context';
import { type RenderedEmail } from '../../domain/rendering/renderer';
import { assign } from '../../domain/journeys/experiments';
import { recommend, type Recommendation } from '../../domain/rendering/recommendations';
import { issueToken } from '../../domain/consent/unsubscribeToken';
import { linkAddressHash } from '../../domain/consent/addressHash';
import { whyScope } from '../../domain/consent/whyLink';
import { DEFAULT_BRAND_COLOR, type AppConfig } from '../../shared/config';
import { readableOnWhite } from '../../domain/rendering/brand';
import { armOf } from '../../domain/results/counters';
import { type SendJobDeps } from './types';

/**
 * What one customer gets from one job step, rendered: links, variant, template, declared fields,
 * incentive, product, recommendations. The one place emails are composed, for sending, simulation and
 * previews alike.
 */

export async function render(
  deps: SendJobDeps,
  live: { job: Job; campaign: Campaign; profile: Profile; cart?: Cart },
  timeZone: string,
  now: string,
): Promise<ComposedEmail & { unsubscribeUrl: string }> {
  const { job } = live;
  // The link names its email, so an unsubscribe counts for it; the variant is the one composeEmail picks.
  const email = { campaignId: job.campaignId, stepId: job.stepId, variant: armOf(job.customerId, live.campaign) };
  const key = await deps.tokenKey();
  // The links name the address they go to, so they stop showing data once the customer's address changes.
  const address = linkAddressHash(live.profile.email!, key);
  const issuedAt = Math.floor(Date.parse(now) / 1000);
  const token = issueToken({ customerId: job.customerId, scope: job.topic, issuedAt, email, address }, key);
  // The /why link names this very email (its log entry), so the page shows what this one relied on.
  const why = issueToken({ customerId: job.customerId, scope: whyScope(now, job.jobId), issuedAt, email, address }, key);
  const base = deps.config.publicBaseUrl;
  const links = { unsubscribe: `${base}/u/${token}`, preferences: `${base}/preferences/${token}`, why: `${base}/why/${why}` };
  return { ...(await composeEmail(deps, live, links, timeZone, now)), unsubscribeUrl: links.unsubscribe };
}

export interface ComposedEmail {
  email: RenderedEmail;
  fieldsUsed: string[];
  templateVersion: string;
  variant?: string;
  template: string;
}

/**
 * What one customer gets from one job step: variant, template, declared fields, incentive, product,
 * recommendations. The one place emails are composed, for sending and for simulation alike.
 */
export async function composeEmail(
  deps: Pick<SendJobDeps, 'catalog' | 'jobs' | 'products'> & {
    config: Pick<AppConfig, 'shopName' | 'shopPostalAddress'> & Partial<Pick<AppConfig, 'branding'>>;
  },
  { job, campaign, profile, cart }: { job: Job; campaign: Campaign; profile: Profile; cart?: Cart },
  links: Links,
  timeZone: string,
  now: string,
): Promise<ComposedEmail> {
  const assignment = assign(job.customerId, campaign);
  const variant = assignment.heldOut ? undefined : assignment.variant;
  const step = campaign.steps[job.stepIndex];
  const templateName = variant?.template ?? job.template;
  // A variant that swaps the template follows that template's latest; the step's pin is for its own.
  const template = await deps.catalog.template(templateName, variant?.template ? undefined : step?.templateVersion);
  const incentive =
    step?.incentive && profile.loyalty && step.incentive.tiers.includes(profile.loyalty.tier)
      ? { code: step.incentive.code, percent: step.incentive.percent }
      : undefined;
  const candidate = candidateContext({
    profile,
    cart,
    consent: job.topic === 'transactional' ? undefined : profile.consent[job.topic],
    links,
    shop: shopOf(deps.config),
    step: step?.params,
    incentive,
    product: job.product,
    recommendations: 'recommendations' in template.fields ? await recommendationsFor(deps, profile, cart, now) : undefined,
  });
  const { context, fieldsUsed } = pickDeclared(candidate, template.fields, profile.personalization);
  const subjectSource = variant?.subject?.[profile.locale] ?? variant?.subject?.en;
  const subject = subjectSource === undefined ? undefined : await deps.catalog.variantSubject(campaign.id, subjectSource);
  const options = { subject, level: profile.personalization, tracking: trackingFor(campaign.id, job.stepId, variant?.id) };
  return {
    email: template.render(profile.locale, timeZone, context, options),
    fieldsUsed,
    templateVersion: template.version,
    variant: variant?.id,
    template: templateName,
  };
}

/** Personal seeds only at level full ("also browsing, for recommendations"); bestsellers otherwise. */
async function recommendationsFor(
  deps: Pick<SendJobDeps, 'jobs' | 'products'>,
  profile: Profile,
  cart: Cart | undefined,
  now: string,
): Promise<Recommendation[]> {
  if (!deps.products) return [];
  const full = profile.personalization === 'full';
  const history = full ? await deps.jobs.purchaseAndViewHistory(profile.customerId, true, now) : { bought: [], viewed: [] };
  const [together, bestsellers] = await Promise.all([
    deps.products.together([...history.bought, ...history.viewed]),
    deps.products.bestsellers(),
  ]);
  const candidates = [...history.bought, ...history.viewed, ...bestsellers, ...[...together.values()].flatMap((m) => [...m.keys()])];
  const products = await deps.products.products(candidates);
  return recommend({ ...history, inCart: cart?.items.map((i) => i.sku) ?? [], together, products, bestsellers });
}

/** The shop as templates see it: name, postal address and branding (its colour made to read on white). */
export function shopOf(config: Pick<AppConfig, 'shopName' | 'shopPostalAddress'> & Partial<Pick<AppConfig, 'branding'>>): Shop {
  const b = config.branding;
  return {
    name: config.shopName,
    postalAddress: config.shopPostalAddress,
    brandColor: readableOnWhite(b?.brandColor ?? DEFAULT_BRAND_COLOR),
    ...(b?.logoUrl ? { logoUrl: b.logoUrl } : {}),
    ...(b?.supportAddress ? { supportAddress: b.supportAddress } : {}),
  };
}
