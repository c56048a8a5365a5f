import type { Catalog } from './ports/catalog';
import { type Clock, isoNow } from './ports/clock';
import type { Customers } from './ports/customers';
import type { Jobs } from './ports/jobs';
import type { Products } from './ports/products';
import type { Campaign } from '../domain/journeys/campaign';
import type { ShopEvent } from '../domain/events/events';
import { jobIdFor, type Job } from '../domain/journeys/job';
import { planJourneys } from '../domain/journeys/journeyPlanner';
import type { Cart, Profile } from '../domain/customers/profile';
import { TemplateBudgetError } from '../domain/rendering/renderer';
import { MissingDataError } from '../domain/rendering/context';
import { composeEmail } from './sending';
import { pace, timeZoneOf } from './sending';
import { armOf } from '../domain/results/counters';
import { decideSend } from '../domain/sending/sendDecision';
import type { AppConfig } from '../shared/config';
import { NotFoundError } from '../shared/errors';

/**
 * What a campaign would do right now, with sending disabled: for every current profile (or for the
 * customers a recorded event stream would trigger), the real gate, pacing and rendering decide —
 * counted per outcome, reason and variant, with a few rendered samples. Reads only; writes nothing.
 */
export interface SimulationResult {
  campaignId: string;
  customers: number;
  wouldSend: number;
  notSent: Record<string, number>;
  perVariant: Record<string, { send: number; notSent: number }>;
  samples: { customerId: string; locale: string; variant: string; subject: string; html: string; text: string }[];
}

export interface SimulationDeps {
  customers: Customers;
  jobs: Jobs;
  products?: Products;
  catalog: Catalog;
  clock: Clock;
  config: Pick<
    AppConfig,
    'capRules' | 'quietHours' | 'consentModel' | 'defaultTimeZone' | 'shopName' | 'shopPostalAddress' | 'publicBaseUrl'
  >;
}

export class UnknownCampaignError extends NotFoundError {
  override name = 'UnknownCampaignError';
  constructor(readonly campaignId: string) {
    super(`no campaign "${campaignId}"`, 'campaignId');
  }
}

export async function simulateCampaign(
  campaignId: string,
  events: ShopEvent[] | undefined,
  deps: SimulationDeps,
  sampleCount = 3,
): Promise<SimulationResult> {
  const campaign = await deps.catalog.campaign(campaignId);
  if (!campaign) throw new UnknownCampaignError(campaignId);
  return simulateDefinition(campaign, events, deps, sampleCount);
}

/** The same for a definition not deployed yet (a draft before it publishes): its templates are the published ones. */
export async function simulateDefinition(
  campaign: Campaign,
  events: ShopEvent[] | undefined,
  deps: SimulationDeps,
  sampleCount = 3,
): Promise<SimulationResult> {
  const campaignId = campaign.id;
  const now = isoNow(deps.clock);
  const result: SimulationResult = { campaignId, customers: 0, wouldSend: 0, notSent: {}, perVariant: {}, samples: [] };
  const count = (variant: string, sent: boolean, reason?: string) => {
    const v = (result.perVariant[variant] ??= { send: 0, notSent: 0 });
    if (sent) {
      result.wouldSend++;
      v.send++;
    } else {
      result.notSent[reason!] = (result.notSent[reason!] ?? 0) + 1;
      v.notSent++;
    }
  };

  for (const { profile, job, cart: replayedCart } of await candidates(campaign, events, deps, now)) {
    result.customers++;
    const variantId = armOf(profile.customerId, campaign);
    const cart =
      replayedCart ?? (campaign.journeyKey === 'cartId' ? await latestCart(deps, profile.customerId, job.journeyKey) : undefined);
    const gate = decideSend({ job, campaign, profile, cart, now, consentModel: deps.config.consentModel });
    if (gate.outcome === 'skip') {
      count(variantId, false, gate.reason);
      continue;
    }
    if (gate.outcome !== 'send') continue;
    const zone = timeZoneOf(profile, deps.config.defaultTimeZone);
    const pacing =
      campaign.kind === 'marketing'
        ? await pace(deps, job, campaign, profile, await deps.jobs.getCaps(profile.customerId), zone, now)
        : ({ outcome: 'go' } as const);
    if (pacing.outcome !== 'go') {
      count(variantId, false, pacing.outcome === 'defer' ? `deferred:${pacing.reason}` : pacing.reason);
      continue;
    }
    try {
      // Composed exactly as a send would be; only the links are placeholders (no token is issued).
      const base = deps.config.publicBaseUrl;
      const links = { unsubscribe: `${base}/u/SIMULATION`, preferences: `${base}/preferences/SIMULATION`, why: `${base}/why/SIMULATION` };
      const { email } = await composeEmail(deps, { job, campaign, profile, cart }, links, zone, now);
      count(variantId, true);
      if (result.samples.length < sampleCount)
        result.samples.push({ customerId: profile.customerId, locale: profile.locale, variant: variantId, ...email });
    } catch (error) {
      if (error instanceof MissingDataError) count(variantId, false, 'missing-data');
      else if (error instanceof TemplateBudgetError) count(variantId, false, 'render-budget');
      else throw error;
    }
  }
  return result;
}

/** Who the campaign would reach: every profile as if just triggered, or whom a recorded stream would trigger. */
async function candidates(
  campaign: Campaign,
  events: ShopEvent[] | undefined,
  deps: SimulationDeps,
  now: string,
): Promise<{ profile: Profile; job: Job; cart?: Cart }[]> {
  const firstStep = campaign.steps[0]!;
  const hypothetical = (customerId: string, journeyKey: string): Job => ({
    customerId,
    jobId: jobIdFor(campaign.id, journeyKey),
    campaignId: campaign.id,
    campaignVersion: campaign.version,
    topic: campaign.topic,
    journeyKey,
    instanceId: 'simulation',
    stepIndex: 0,
    stepId: firstStep.id,
    template: firstStep.template,
    priority: campaign.priority,
    anchorAt: now,
    dueAt: now,
    lastEventAt: now,
    status: 'pending',
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  if (!events) {
    const profiles = await deps.customers.scanProfiles();
    return Promise.all(
      profiles.map(async (profile) => {
        const cart = campaign.journeyKey === 'cartId' ? await latestCart(deps, profile.customerId) : undefined;
        return { profile, job: hypothetical(profile.customerId, cart?.cartKey ?? 'default') };
      }),
    );
  }
  const found: { profile: Profile; job: Job; cart?: Cart }[] = [];
  for (const event of events) {
    const profile = await deps.customers.getProfile(event.customerId);
    if (!profile) continue;
    const started = planJourneys(event, [campaign], [], now, profile).find((c) => c.kind === 'put');
    // A replayed cart event brings its own cart: nothing was stored.
    const cart: Cart | undefined =
      event.type === 'cart.updated'
        ? {
            customerId: event.customerId,
            cartKey: event.data.cartId ?? 'default',
            cartId: event.data.cartId,
            items: event.data.items,
            cartUrl: event.data.cartUrl,
            updatedAt: event.occurredAt,
          }
        : undefined;
    if (started) found.push({ profile, job: { ...started.job, dueAt: now }, ...(cart ? { cart } : {}) });
  }
  return found;
}

async function latestCart(deps: SimulationDeps, customerId: string, cartKey?: string): Promise<Cart | undefined> {
  const carts = await deps.customers.listCarts(customerId);
  const matching = cartKey && cartKey !== 'default' ? carts.filter((c) => c.cartKey === cartKey) : carts;
  return matching.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
}
