import type { ConsentPurpose, Locale } from '../../domain/events/events';
import type { Branding } from '../../shared/config';
import type { HttpResponse } from '../http';
import type { WhyEmailView } from '../../usecases/whyEmail';
import { html } from '../html';
import { layout, zoneOf } from './pages';
import { PAGE_STRINGS } from './strings';
import { dayIn, howText } from './words';
import { segmentInWords } from './segmentWords';

/**
 * "Why did I get this?" for one email, from its delivery log entry: which campaign and step, what
 * started it, the data it used (with today's values), the personalization level, the consent it relied
 * on, whether tracking was on, and the customer's links. No script, the preference center's headers.
 */
export interface WhyPageInput {
  view: WhyEmailView;
  links: { unsubscribe: string; preferences: string };
  branding?: Branding;
  defaultTimeZone?: string;
}

export function whyPage({ view, links, branding, defaultTimeZone }: WhyPageInput): HttpResponse {
  const { profile, entry, campaign, job } = view;
  const locale: Locale = profile.locale;
  const s = PAGE_STRINGS[locale];
  const w = s.why;
  const zone = zoneOf(profile, defaultTimeZone);
  const day = (iso: string) => dayIn(iso, locale, zone);
  const why = entry.why;

  const stepIndex = campaign ? campaign.steps.findIndex((step) => step.id === entry.stepId) : -1;
  const campaignName = why?.campaignName ?? campaign?.name ?? '';
  const stepLine = stepIndex >= 0 && campaign!.steps.length > 1 ? html`<p>${w.step(stepIndex + 1, campaign!.steps.length)}</p>` : '';
  const rule = why?.audience ? campaign?.broadcast?.segmentRule : undefined;
  const ruleLine = rule ? html` ${w.audienceRule(segmentInWords(rule, locale))}` : '';
  const started = why?.cart
    ? w.cartLeft(why.cart.itemCount, day(why.cart.updatedAt))
    : why?.audience
      ? w.audience(why.audience, day(why.trigger.at))
      : why
        ? w.event(why.trigger.event, day(why.trigger.at))
        : '';

  const values = currentValues(view, locale, zone);
  const fields = entry.fieldsUsed ?? [];
  const fieldRows = fields.map(
    (path) => html`<tr><th scope="row">${w.fieldLabels[path] ?? w.fieldOther}</th><td>${values(path) ?? w.notKept}</td></tr>`,
  );
  const c = w.fieldsColumns;
  const fieldHead = html`<thead><tr><th scope="col">${c.field}</th><th scope="col">${c.value}</th></tr></thead>`;
  const fieldTable = fields.length
    ? html`<table><caption>${w.fieldsCaption}</caption>${fieldHead}<tbody>${fieldRows}</tbody></table>`
    : html`<p>${w.noFields}</p>`;

  const level = why?.level ?? profile.personalization ?? 'basic';
  const relied = why?.consent;
  const shown = view.consentRecord?.textShown;
  const shownText = shown ? html`<p>${w.textShown}</p><blockquote>${shown}</blockquote>` : '';
  const how = relied ? howText(relied.source, relied.policyVersion, locale) : '';
  const consent = relied
    ? html`<p>${w.consent(relied.topic as ConsentPurpose, day(relied.at), how)}</p>${shownText}`
    : html`<p>${job?.topic === 'transactional' ? w.transactional : w.consentAssumed}</p>`;
  const unsubscribe =
    job && job.topic !== 'transactional' ? html`<li><a href="${links.unsubscribe}">${s.unsubscribeTopic(job.topic)}</a></li>` : '';

  const body = html`<h1>${w.title}</h1>
<p>${w.intro}</p>
<h2>${w.campaignTitle}</h2><p><strong>${campaignName}</strong></p>${stepLine}
<h2>${w.startedTitle}</h2><p>${started}${ruleLine}</p>
<h2>${w.fieldsTitle}</h2>${fieldTable}
<h2>${w.levelTitle}</h2><p>${w.level(s.levels[level][0])}</p>
<p><a href="${links.preferences}#personalization">${w.changeLevel}</a></p>
<h2>${w.consentTitle}</h2>${consent}
<h2>${w.trackingTitle}</h2><p>${entry.tracking ? w.trackingOn : w.trackingOff}</p>
<p><a href="${links.preferences}#tracking">${w.changeTracking}</a></p>
<h2>${w.linksTitle}</h2>
<ul>${unsubscribe}<li><a href="${links.preferences}">${w.preferences}</a></li></ul>`;
  return layout(locale, w.title, body, 200, branding);
}

/** A field the email used, as its value is now; undefined when it was chosen at sending and is not kept. */
function currentValues({ profile, cart, job }: WhyEmailView, locale: Locale, zone: string): (path: string) => string | undefined {
  const day = (iso: string | undefined) => (iso ? dayIn(iso, locale, zone) : undefined);
  const money = (amount: number, currency: string) => new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
  return (path) => {
    switch (path) {
      case 'customer.firstName':
        return profile.firstName;
      case 'customer.lastName':
        return profile.lastName;
      case 'cart.items':
        return cart?.items.map((i) => `${i.name} × ${i.qty}`).join(', ');
      case 'cart.itemCount':
        return cart ? String(cart.items.reduce((n, i) => n + i.qty, 0)) : undefined;
      case 'cart.url':
        return cart?.cartUrl;
      case 'cart.updatedAt':
        return day(cart?.updatedAt);
      case 'consent.grantedAt': {
        const state = job && job.topic !== 'transactional' ? profile.consent[job.topic] : undefined;
        return state?.status === 'granted' ? day(state.at) : undefined;
      }
      case 'product.name':
        return job?.product?.name;
      case 'product.price':
        return job?.product ? money(job.product.price, job.product.currency) : undefined;
      case 'product.currency':
        return job?.product?.currency;
      case 'product.url':
        return job?.product?.url;
      case 'product.imageUrl':
        return job?.product?.imageUrl;
      case 'loyalty.tier':
        return profile.loyalty?.tier;
      case 'loyalty.points':
        return profile.loyalty ? new Intl.NumberFormat(locale).format(profile.loyalty.points) : undefined;
      case 'loyalty.pointsExpireAt':
        return day(profile.loyalty?.pointsExpireAt);
      default:
        return undefined;
    }
  };
}
