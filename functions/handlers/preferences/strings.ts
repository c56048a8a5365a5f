import type { ConsentPurpose, Locale, MarketingTopic } from '../../domain/events/events';
import { en } from './locales/en';
import { pl } from './locales/pl';
import { ru } from './locales/ru';

/**
 * The words of customers' pages (preference center, /why), per locale. Plain language: people decide
 * here what we may do. Polish and Russian sentences are whole per case: a topic's name takes the form
 * its sentence needs (nominative on a switch, accusative after "zgoda na" / "согласие на", genitive
 * after "od"/"от", "z" and a negation), and counts take their plural category (Intl.PluralRules).
 */

/** A consent purpose's name in the forms sentences need. */
export interface PurposeForms {
  /** On a switch and as a label (nominative). */
  name: string;
  /** After "agreed to": pl "zgoda na …" and ru "согласие на …" (accusative). */
  accusative: string;
  /** After "unsubscribe from", a negation, ru "отказ от …" (genitive). */
  genitive: string;
}

export interface PageStrings {
  title: string;
  intro: string;
  unsubscribeTopic: (topic: MarketingTopic) => string;
  unsubscribeAll: string;
  /** After an unsubscribe from one topic, or from all marketing. */
  unsubscribed: (topic: MarketingTopic | 'all') => string;
  nothingToUnsubscribe: string;
  saved: string;
  topicsLegend: string;
  /** Nominative names, for switches and labels. */
  topics: Record<MarketingTopic, string>;
  purposes: Record<ConsentPurpose, PurposeForms>;
  tracking: { legend: string; label: string; hint: string; on: string; off: string };
  frequencyLegend: string;
  frequency: { any: string; weekly: string; monthly: string };
  levelLegend: string;
  levels: { none: [string, string]; basic: [string, string]; full: [string, string] };
  save: string;
  knowTitle: string;
  knowCaption: string;
  fields: { email: string; firstName: string; lastName: string; locale: string; timezone: string; country: string; tracking: string };
  historyTitle: string;
  historyCaption: string;
  historyColumns: { when: string; what: string; how: string };
  consentChange: (purpose: ConsentPurpose, status: 'granted' | 'withdrawn') => string;
  preferenceChange: (field: 'frequency' | 'personalization' | 'suppression', from: string | undefined, to: string) => string;
  /** How a consent or preference change was made, by its recorded source. */
  sources: Record<string, string>;
  sourceOther: string;
  /** A policy version as words: a YYYY-MM version names its month. */
  policy: (version: string) => string;
  noHistory: string;
  dataTitle: string;
  download: string;
  erase: string;
  eraseConfirmTitle: string;
  eraseConfirmText: string;
  eraseConfirm: string;
  cancel: string;
  erased: string;
  invalidLink: string;
  invalidLinkText: string;
  oneClickDone: string;
  /** A link from an email sent to an address the customer no longer has: it unsubscribes and shows nothing else. */
  addressChanged: string;
  support: string;
  why: WhyStrings;
}

export interface WhyStrings {
  title: string;
  intro: string;
  campaignTitle: string;
  step: (n: number, of: number) => string;
  startedTitle: string;
  /** "You left 2 items in your cart on 3 December": the count and the day (in the reader's zone) given. */
  cartLeft: (count: number, day: string) => string;
  /** Another trigger: the event in words, and when. */
  event: (type: string, day: string) => string;
  /** A broadcast: the group (segment) the reader was in, and the day it went out. */
  audience: (group: string, day: string) => string;
  /** The group's rule, in words ("loyalty tier is gold"). */
  audienceRule: (rule: string) => string;
  fieldsTitle: string;
  fieldsCaption: string;
  fieldsColumns: { field: string; value: string };
  fieldLabels: Record<string, string>;
  fieldOther: string;
  notKept: string;
  noFields: string;
  levelTitle: string;
  level: (name: string) => string;
  changeLevel: string;
  consentTitle: string;
  consent: (purpose: ConsentPurpose, day: string, how: string) => string;
  textShown: string;
  consentAssumed: string;
  transactional: string;
  trackingTitle: string;
  trackingOn: string;
  trackingOff: string;
  changeTracking: string;
  linksTitle: string;
  preferences: string;
}

export const PAGE_STRINGS: Record<Locale, PageStrings> = { en, pl, ru };
