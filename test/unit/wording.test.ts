import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { campaignSchema } from '../../functions/domain/journeys/campaign';
import { campaignSentences, conditionsWords, conditionWords, stepTiming } from '../../functions/domain/wording/conditions';
import { templatesDir } from '../../functions/publishing/templateSource';
import { capWords, outcomeSentence } from '../../functions/domain/wording/outcomes';
import { durationInWords, millisInWords, timeInZone, untilInZone } from '../../functions/domain/wording/time';
import { maskEmail } from '../../functions/usecases/customerLookup';
import { languageName } from '../../functions/domain/wording/languages';
import { SUPPORTED_LOCALES } from '../../functions/domain/events/events';

describe('durations and times in words', () => {
  it.each([
    ['PT1H', '1 hour'],
    ['P3D', '3 days'],
    ['PT30M', '30 minutes'],
    ['P1DT2H30M', '1 day, 2 hours, and 30 minutes'],
    ['PT0S', 'no time'],
    ['soon', 'soon'],
  ])('%s reads "%s"', (iso, words) => expect(durationInWords(iso)).toBe(words));

  it('milliseconds in at most two units', () => {
    expect(millisInWords(90 * 60_000)).toBe('1 hour and 30 minutes');
    expect(millisInWords(2 * 86_400_000 + 5 * 3_600_000 + 60_000)).toBe('2 days and 5 hours');
    expect(millisInWords(400)).toBe('less than a second');
  });

  it('names the zone, and the year only when it is not this year', () => {
    expect(timeInZone('2026-12-03T09:14:00Z', 'Europe/Warsaw', '2026-12-01T00:00:00Z')).toBe('3 Dec at 10:14 Europe/Warsaw');
    expect(timeInZone('2026-12-03T09:14:00Z', 'America/New_York', '2026-12-01T00:00:00Z')).toBe('3 Dec at 04:14 America/New_York');
    expect(timeInZone('2025-12-03T09:14:00Z', 'Europe/Warsaw', '2026-12-01T00:00:00Z')).toBe('3 Dec 2025 at 10:14 Europe/Warsaw');
    // New Year's Eve in UTC is already next year in Tokyo: the year is the viewer's.
    expect(timeInZone('2026-12-31T20:00:00Z', 'Asia/Tokyo', '2026-12-31T10:00:00Z')).toBe('1 Jan 2027 at 05:00 Asia/Tokyo');
  });

  it('"until" drops the day when it is the same local day, across a DST change too', () => {
    expect(untilInZone('2026-12-03T06:00:00Z', '2026-12-03T00:30:00Z', 'Europe/Warsaw')).toBe('07:00 Europe/Warsaw');
    expect(untilInZone('2026-12-03T06:00:00Z', '2026-12-02T21:30:00Z', 'Europe/Warsaw')).toBe('3 Dec at 07:00 Europe/Warsaw');
    // 29 March 2026: Warsaw moves from +01 to +02 at 02:00 local.
    expect(untilInZone('2026-03-29T06:00:00Z', '2026-03-28T23:30:00Z', 'Europe/Warsaw')).toBe('08:00 Europe/Warsaw');
  });
});

describe('outcomes as sentences', () => {
  const ctx = { viewerZone: 'Europe/Warsaw', recipientZone: 'America/Chicago', now: '2026-12-05T12:00:00Z', name: 'Anna' };

  it('a withdrawal names the person and when they withdrew, in the viewer zone', () => {
    const withdrawnAt = (topic: string) => (topic === 'cart_reminders' ? '2026-12-03T09:14:00Z' : undefined);
    expect(
      outcomeSentence(
        { outcome: 'skipped', reason: 'no-consent', detail: 'cart_reminders', at: '2026-12-04T10:00:00Z' },
        { ...ctx, withdrawnAt },
      ),
    ).toBe('not sent: Anna withdrew cart reminders on 3 Dec at 10:14 Europe/Warsaw');
    expect(outcomeSentence({ outcome: 'skipped', reason: 'no-consent', detail: 'loyalty', at: '2026-12-04T10:00:00Z' }, ctx)).toBe(
      'not sent: Anna has not agreed to loyalty offers',
    );
  });

  it("quiet hours are the recipient's, shown in their zone", () => {
    const entry = {
      outcome: 'deferred',
      reason: 'quiet-hours-deferred',
      detail: 'quiet-hours',
      at: '2026-12-04T04:00:00Z',
      deferredTo: '2026-12-04T14:00:00Z',
    };
    // Held at 22:00 local: the morning is the next day there, whatever day it is in Warsaw.
    expect(outcomeSentence(entry, ctx)).toBe('held: quiet hours in America/Chicago until 4 Dec at 08:00 America/Chicago');
    expect(outcomeSentence({ ...entry, at: '2026-12-04T07:00:00Z' }, ctx)).toBe(
      'held: quiet hours in America/Chicago until 08:00 America/Chicago',
    );
  });

  it('caps, levels, holdouts, pauses and cancellations read as sentences', () => {
    const at = '2026-12-04T10:00:00Z';
    expect(capWords('global:2/PT24H')).toBe("the shop's limit of 2 emails per 24 hours was reached");
    expect(capWords('preference:1/P7D')).toBe('their own limit of 1 email per 7 days was reached');
    expect(capWords('yielded-to:vip-cart')).toContain('higher-priority campaign vip-cart');
    expect(outcomeSentence({ outcome: 'skipped', reason: 'level', detail: 'needs full', at }, ctx)).toBe(
      'not sent: Anna chose a lower personalization level than the campaign needs (full)',
    );
    expect(outcomeSentence({ outcome: 'skipped', reason: 'held-out', detail: 'holdout', at }, ctx)).toContain('holdout group');
    expect(outcomeSentence({ outcome: 'deferred', reason: 'paused', at }, ctx)).toBe('held: the campaign is paused');
    expect(outcomeSentence({ outcome: 'cancelled', reason: 'cancelled', detail: 'order.placed', at }, ctx)).toBe(
      'journey ended: Anna placed an order',
    );
    expect(outcomeSentence({ outcome: 'skipped', reason: 'cancelled', detail: 'cart-empty', at }, ctx)).toBe('not sent: the cart is empty');
    expect(outcomeSentence({ outcome: 'skipped', reason: 'suppressed', detail: 'complaint', at }, ctx)).toBe(
      'not sent: they marked an email as spam',
    );
    expect(outcomeSentence({ outcome: 'sent', at }, ctx)).toBe('sent');
  });

  it('hides most of an address but keeps it recognizable', () => {
    expect(maskEmail('anna.kowalska@example.com')).toBe('a••••••@example.com');
    expect(maskEmail('a@example.com')).toBe('a•@example.com');
  });
});

describe('campaign conditions and settings as sentences', () => {
  it('reads each operator', () => {
    expect(conditionWords({ fact: 'loyalty.tier', op: 'in', value: ['gold', 'platinum'] })).toBe('loyalty tier is gold or platinum');
    expect(conditionWords({ fact: 'cart.value', op: 'gte', value: 20 })).toBe('cart value is at least 20');
    expect(conditionWords({ fact: 'loyalty.tier', op: 'eq', value: '$journey.key' })).toBe('loyalty tier is the journey key');
    expect(conditionWords({ fact: 'loyalty.points', op: 'crossedUp', value: 1000 })).toBe('loyalty points reached 1,000');
    expect(conditionWords({ fact: 'loyalty.tier', op: 'rankUp', value: ['silver', 'gold'] })).toBe(
      'loyalty tier moved up a rank (silver < gold)',
    );
    expect(conditionsWords(undefined)).toBe('always');
  });

  it('says what a shipped campaign does, with durations in words', () => {
    const campaign = campaignSchema.parse(JSON.parse(readFileSync(join(templatesDir(), 'abandoned-cart', 'campaign.json'), 'utf8')));
    const sentences = campaignSentences(campaign).join(' ');
    expect(sentences).toContain('Marketing about cart reminders');
    expect(sentences).toContain('Starts when a cart changes');
    expect(sentences).not.toMatch(/\bP(T?\d+[DHM])+\b/);
    expect(stepTiming(campaign.steps[0]!)).toBe('1 hour after the trigger');
  });
});

describe('languages by name', () => {
  it('names every supported locale in English, and shows anything else as it came', () => {
    expect(SUPPORTED_LOCALES.map(languageName)).toEqual(['English', 'Polish', 'Russian']);
    expect(languageName('not a tag!')).toBe('not a tag!');
  });
});
