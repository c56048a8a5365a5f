import { hasConsent, isSuppressed, OPT_IN_EVERYWHERE } from '../../functions/domain/customers/profile';
import { parseOptOutCountries, parseUnsubscribeScope } from '../../functions/shared/config';
import { pickDeclared } from '../../functions/domain/rendering/context';

const granted = { status: 'granted' as const, at: '2026-01-01T00:00:00Z', source: 'api', policyVersion: '1' };
const withdrawn = { ...granted, status: 'withdrawn' as const };

describe('the consent model', () => {
  it('is opt-in by default: no record means no, everywhere', () => {
    expect(hasConsent({ consent: {}, country: 'US' }, 'newsletter', OPT_IN_EVERYWHERE)).toBe(false);
    expect(hasConsent({ consent: { newsletter: granted }, country: 'US' }, 'newsletter')).toBe(true);
  });

  it('lets a shop treat missing consent as yes only in the countries it names, and never overrides a withdrawal', () => {
    const model = parseOptOutCountries('us, ca');
    expect(model.optOutCountries).toEqual(['US', 'CA']);
    expect(hasConsent({ consent: {}, country: 'US' }, 'newsletter', model)).toBe(true);
    expect(hasConsent({ consent: {}, country: 'PL' }, 'newsletter', model)).toBe(false);
    expect(hasConsent({ consent: {}, country: undefined }, 'newsletter', model)).toBe(false);
    expect(hasConsent({ consent: { newsletter: withdrawn }, country: 'US' }, 'newsletter', model)).toBe(false);
    expect(() => parseOptOutCountries('USA')).toThrow(/OPT_OUT_COUNTRIES/);
    expect(() => parseUnsubscribeScope('everything')).toThrow(/UNSUBSCRIBE_SCOPE/);
  });

  it('suppresses the suppressed address only: a hard bounce blocks all mail, a complaint marketing', () => {
    const bounce = { reason: 'hard-bounce' as const, at: '', address: 'A@x.example', blocksTransactional: true };
    expect(isSuppressed({ email: 'a@x.example', suppression: bounce }, true)).toBe(true);
    expect(isSuppressed({ email: 'new@x.example', suppression: bounce }, false)).toBe(false);
    const complaint = { ...bounce, reason: 'complaint' as const, blocksTransactional: false };
    expect(isSuppressed({ email: 'a@x.example', suppression: complaint }, false)).toBe(true);
    expect(isSuppressed({ email: 'a@x.example', suppression: complaint }, true)).toBe(false);
  });

  it('keeps fields that need a higher personalization level out of rendering', () => {
    const fields = {
      'customer.firstName': { type: 'string' as const, level: 'basic' as const, required: false },
      'views.recent': { type: 'list' as const, level: 'full' as const, required: false },
    };
    const candidate = { customer: { firstName: 'Ada' }, views: { recent: ['a'] } };
    expect(pickDeclared(candidate, fields, 'basic').fieldsUsed).toEqual(['customer.firstName']);
    expect(pickDeclared(candidate, fields, 'full').fieldsUsed).toEqual(['customer.firstName', 'views.recent']);
    expect(pickDeclared(candidate, fields, 'none').fieldsUsed).toEqual([]);
  });
});
