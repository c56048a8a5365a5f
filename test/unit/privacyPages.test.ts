import { tracksEngagement } from '../../functions/domain/customers/profile';
import { contrastRatio, readableOnWhite } from '../../functions/domain/rendering/brand';
import { parseWhyScope, whyScope } from '../../functions/domain/consent/whyLink';
import { sesEventCount } from '../../functions/domain/results/counters';
import { ratesOf, countsFromCounters, trackedShare } from '../../functions/domain/results/funnel';
import { parseBranding, parseOptOutCountries } from '../../functions/shared/config';
import { PAGE_STRINGS } from '../../functions/handlers/preferences/strings';
import { countryName, languageName, timeZoneName } from '../../functions/handlers/preferences/words';
import { layout, PAGE_HEADERS } from '../../functions/handlers/preferences/pages';
import { html } from '../../functions/handlers/html';

const granted = { status: 'granted' as const, at: '2026-01-01T00:00:00Z', source: 'api', policyVersion: '1' };

describe('tracking consent', () => {
  it('tracks only with consent, whatever the country, unless the shop names opt-out countries for tracking', () => {
    expect(tracksEngagement({ consent: {}, country: 'US' })).toBe(false);
    expect(tracksEngagement({ consent: { cart_reminders: granted }, country: 'US' })).toBe(false);
    expect(tracksEngagement({ consent: { tracking: granted }, country: 'FR' })).toBe(true);
    const model = parseOptOutCountries('US', 'TRACKING_OPT_OUT_COUNTRIES');
    expect(tracksEngagement({ consent: {}, country: 'US' }, model)).toBe(true);
    expect(tracksEngagement({ consent: { tracking: { ...granted, status: 'withdrawn' } }, country: 'US' }, model)).toBe(false);
    expect(() => parseOptOutCountries('USA', 'TRACKING_OPT_OUT_COUNTRIES')).toThrow(/TRACKING_OPT_OUT_COUNTRIES/);
  });

  it('counts opens and clicks of tracked emails only, and tracked deliveries as the rates’ denominator', () => {
    const tags = (tracking?: string) => ({ campaign: ['c'], step: ['s'], ...(tracking ? { tracking: [tracking] } : {}) });
    const at = '2026-12-01T10:00:00.000Z';
    expect(sesEventCount({ type: 'Open', messageId: 'm', tags: tags('off') }, 'cust', at)).toBeUndefined();
    expect(sesEventCount({ type: 'Click', messageId: 'm', tags: tags() }, 'cust', at)).toBeUndefined();
    expect(sesEventCount({ type: 'Open', messageId: 'm', tags: tags('on') }, 'cust', at)?.add).toEqual({ opened: 1 });
    expect(sesEventCount({ type: 'Delivery', messageId: 'm', tags: tags('on') }, 'cust', at)?.add).toEqual({
      delivered: 1,
      deliveredTracked: 1,
    });
    expect(sesEventCount({ type: 'Delivery', messageId: 'm', tags: tags('off') }, 'cust', at)?.add).toEqual({ delivered: 1 });
    expect(sesEventCount({ type: 'Bounce', messageId: 'm', tags: tags('off') }, 'cust', at)?.add).toEqual({ bounced: 1 });
    const counts = countsFromCounters({ sent: 10, sentTracked: 4, delivered: 10, deliveredTracked: 4, opened: 2, clicked: 1 });
    expect(ratesOf(counts)).toMatchObject({ openRate: 0.5, clickRate: 0.25, deliveryRate: 1 });
    expect(trackedShare(counts)).toEqual({ trackedRecipients: 4, sentWithoutTracking: 6 });
    expect(ratesOf(countsFromCounters({ sent: 3, delivered: 3 })).openRate).toBeNull();
  });
});

describe('the /why link scope', () => {
  it('names one email (send time and job), and nothing else passes for it', () => {
    const scope = whyScope('2026-12-02T09:00:00.123Z', 'abandoned-cart#cart-1');
    expect(parseWhyScope(scope)).toEqual({ sentAt: '2026-12-02T09:00:00.123Z', jobId: 'abandoned-cart#cart-1' });
    for (const other of ['cart_reminders', 'all', 'why:', 'why:2026-12-02#job', 'why:2026-12-02T09:00:00.123Z#'])
      expect(parseWhyScope(other)).toBeUndefined();
  });
});

describe('shop branding', () => {
  it('darkens a colour until text on it and it on white read at 4.5:1, and keeps one that already does', () => {
    expect(readableOnWhite('#0b6e4f')).toBe('#0b6e4f');
    for (const light of ['#2f9e6e', '#ffcc00', '#ffffff', '#88ccff']) {
      const shade = readableOnWhite(light);
      expect(contrastRatio(shade, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
  });

  it('refuses a logo that is not https, a colour that is not #rrggbb and a support address that is no address', () => {
    expect(
      parseBranding({
        SHOP_NAME: 'Kawiarnia',
        SHOP_LOGO_URL: 'https://cdn.example.com/logo.png',
        SHOP_SUPPORT_ADDRESS: 'help@example.com',
      }),
    ).toEqual({
      shopName: 'Kawiarnia',
      logoUrl: 'https://cdn.example.com/logo.png',
      brandColor: '#0b6e4f',
      supportAddress: 'help@example.com',
    });
    expect(() => parseBranding({ SHOP_LOGO_URL: 'http://example.com/x.png' })).toThrow(/SHOP_LOGO_URL/);
    expect(() => parseBranding({ SHOP_BRAND_COLOR: 'green' })).toThrow(/SHOP_BRAND_COLOR/);
    expect(() => parseBranding({ SHOP_SUPPORT_ADDRESS: 'call us' })).toThrow(/SHOP_SUPPORT_ADDRESS/);
  });
});

describe('customer pages read like a person wrote them', () => {
  it('puts topic names in the case their sentence needs', () => {
    expect(PAGE_STRINGS.ru.consentChange('newsletter', 'granted')).toBe('Согласие на рассылку новостей');
    expect(PAGE_STRINGS.ru.consentChange('newsletter', 'withdrawn')).toBe('Отказ от рассылки новостей');
    expect(PAGE_STRINGS.ru.unsubscribeTopic('newsletter')).toBe('Отписаться от рассылки новостей');
    expect(PAGE_STRINGS.pl.unsubscribeTopic('recommendations')).toBe('Wypisz mnie z polecanych produktów');
    expect(PAGE_STRINGS.pl.unsubscribed('newsletter')).toBe('Gotowe: nie będziesz już dostawać newslettera.');
    expect(PAGE_STRINGS.pl.consentChange('tracking', 'granted')).toBe('Zgoda na śledzenie otwarć i kliknięć');
  });

  it('takes each count’s plural form', () => {
    expect([1, 2, 5, 22].map((n) => PAGE_STRINGS.ru.why.cartLeft(n, '3 декабря 2026 г.'))).toEqual([
      '3 декабря 2026 г. вы оставили в корзине 1 товар.',
      '3 декабря 2026 г. вы оставили в корзине 2 товара.',
      '3 декабря 2026 г. вы оставили в корзине 5 товаров.',
      '3 декабря 2026 г. вы оставили в корзине 22 товара.',
    ]);
    expect([1, 3, 12].map((n) => PAGE_STRINGS.pl.why.cartLeft(n, '3 grudnia 2026'))).toEqual([
      '3 grudnia 2026 zostawiono w Twoim koszyku 1 produkt.',
      '3 grudnia 2026 zostawiono w Twoim koszyku 3 produkty.',
      '3 grudnia 2026 zostawiono w Twoim koszyku 12 produktów.',
    ]);
    expect(PAGE_STRINGS.en.why.cartLeft(1, '3 December 2026')).toBe('You left 1 item in your cart on 3 December 2026.');
  });

  it('names languages, countries, zones and policy versions instead of showing codes', () => {
    expect(languageName('pl', 'en')).toBe('Polish');
    expect(languageName('en', 'ru')).toBe('Английский');
    expect(countryName('GB', 'pl')).toBe('Wielka Brytania');
    expect(timeZoneName('Europe/Warsaw', 'en')).toMatch(/^Central European (Standard )?Time \(Warsaw\)$/);
    expect(PAGE_STRINGS.en.policy('2026-01')).toBe('privacy notice of January 2026');
    expect(PAGE_STRINGS.ru.policy('2026-01')).toBe('редакция политики конфиденциальности: январь 2026 г.');
    expect(PAGE_STRINGS.pl.policy('v7')).toBe('wersja treści zgody: „v7”');
  });
});

describe('a branded page', () => {
  it('shows the logo with the shop name as its alternative, allows images from its origin only, darkens a light colour', () => {
    const branding = {
      shopName: 'Kawiarnia „Pod Lipą”',
      logoUrl: 'https://cdn.example.com/logo.png',
      brandColor: '#88ccff',
      supportAddress: 'pomoc@example.com',
    };
    const page = layout('pl', 'Tytuł', html`<h1>Tytuł</h1>`, 200, branding);
    expect(page.body).toContain('<img src="https://cdn.example.com/logo.png" alt="Kawiarnia „Pod Lipą”">');
    expect(page.body).toContain('<a href="mailto:pomoc@example.com">pomoc@example.com</a>');
    expect(page.headers['content-security-policy']).toContain('img-src https://cdn.example.com;');
    expect(PAGE_HEADERS['content-security-policy']).not.toContain('img-src');
    const brand = readableOnWhite('#88ccff');
    expect(page.body).toContain(`a{color:${brand}}`);
    expect(page.body).not.toContain('#88ccff');
  });
});
