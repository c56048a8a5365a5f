import { cartAfterChange } from '../../functions/domain/events/eventEffects';
import { sortCandidates, type MappingOptions } from '../../functions/domain/integrations/delivery';
import { mapSegment } from '../../functions/domain/integrations/segment';
import { mapShopify } from '../../functions/domain/integrations/shopify';
import { mapWooCommerce, wooDeliveryKey } from '../../functions/domain/integrations/woocommerce';
import { hmacMatches } from '../../functions/handlers/integrations/signatures';
import { createHmac } from 'node:crypto';
import { parseSegmentConsentTraits, parseShopifyConsentTopics } from '../../functions/shared/integrationConfig';

const options: MappingOptions = {
  shopifyConsentTopics: ['cart_reminders', 'newsletter'],
  segmentConsentTraits: { email_opt_in: ['newsletter'] },
  cartUrlTemplate: 'https://shop.example.com/cart?id={cart_id}',
  defaultCurrency: 'PLN',
  policyVersion: 'p1',
};

describe('integration mapping (pure)', () => {
  it('maps Shopify consent to the configured topics only, keeping the evidence', () => {
    const { accepted } = sortCandidates(
      mapShopify(
        'customers_email_marketing_consent/update',
        {
          customer_id: 5,
          email_marketing_consent: { state: 'subscribed', opt_in_level: 'single_opt_in', consent_updated_at: '2026-11-22T10:00:00Z' },
        },
        options,
      ),
    );
    expect(accepted.map((e) => (e.type === 'consent.changed' ? e.data.topic : ''))).toEqual(['cart_reminders', 'newsletter']);
    expect(accepted[0]).toMatchObject({
      customerId: '5',
      occurredAt: '2026-11-22T10:00:00Z',
      data: { status: 'granted', source: 'shopify', policyVersion: 'p1' },
    });
    expect(
      sortCandidates(
        mapShopify('customers_email_marketing_consent/update', { customer_id: 5, email_marketing_consent: { state: 'pending' } }, options),
      ).ignored,
    ).toEqual({ 'consent state pending records nothing': 1 });
  });

  it('gives a Product Added the shop’s currency and a cart URL from the template', () => {
    const [event] = sortCandidates(
      mapSegment(
        {
          type: 'track',
          event: 'Product Added',
          messageId: 'm1',
          userId: 'u1',
          timestamp: '2026-11-22T10:00:00Z',
          properties: { cart_id: 'c 1', sku: 'S', name: 'N', price: 2 },
        },
        options,
      ),
    ).accepted;
    expect(event).toMatchObject({
      type: 'cart.item_changed',
      data: {
        cartId: 'c 1',
        cartUrl: 'https://shop.example.com/cart?id=c%201',
        change: 'add',
        item: { sku: 'S', qty: 1, currency: 'PLN' },
      },
    });
  });

  it('adds up the same sku and removes one, as the whole cart it leaves', () => {
    const base = { id: 'e', customerId: 'c', occurredAt: '2026-11-22T10:00:00Z', type: 'cart.item_changed' as const };
    const item = { sku: 'A', name: 'A', price: 1, currency: 'EUR', qty: 2 };
    const stored = {
      customerId: 'c',
      cartKey: 'k',
      cartId: 'k',
      items: [{ ...item, qty: 1 }],
      cartUrl: 'https://s/1',
      updatedAt: '2026-11-22T09:00:00Z',
    };
    expect(cartAfterChange({ ...base, data: { cartId: 'k', cartUrl: 'https://s/2', change: 'add', item } }, stored).data).toMatchObject({
      cartUrl: 'https://s/1',
      items: [{ sku: 'A', qty: 3 }],
    });
    expect(cartAfterChange({ ...base, data: { cartId: 'k', cartUrl: 'https://s/2', change: 'remove', item } }, stored).data.items).toEqual(
      [],
    );
    expect(cartAfterChange({ ...base, data: { cartId: 'k', cartUrl: 'https://s/2', change: 'add', item } }, undefined).data).toMatchObject({
      cartUrl: 'https://s/2',
      items: [item],
    });
  });

  it('names the platform’s own fields in errors, in plain words', () => {
    const { rejected } = sortCandidates(
      mapWooCommerce('order.created', { id: 9, status: 'completed', customer_id: 3, currency: 'USD', total: 'lots', line_items: [] }),
      { 'data.total': 'total' },
    );
    expect(rejected).toEqual([
      { ref: 'order 9', errors: expect.arrayContaining([{ path: 'total', message: 'must be a number, not string' }]) },
    ]);
    expect(wooDeliveryKey('order.updated', { id: 9, date_modified_gmt: '2026-11-22T10:00:00' })).toBe(
      'woocommerce:order.updated:9:2026-11-22T10:00:00',
    );
  });

  it('checks HMACs in constant time on the exact bytes, any tampering or wrong length fails', () => {
    const body = Buffer.from('{"a":1}');
    const good = createHmac('sha256', 's').update(body).digest('base64');
    expect(hmacMatches('sha256', 'base64', 's', body, good)).toBe(true);
    expect(hmacMatches('sha256', 'base64', 's', Buffer.from('{"a":2}'), good)).toBe(false);
    expect(hmacMatches('sha256', 'base64', 's', body, good.slice(4))).toBe(false);
    expect(hmacMatches('sha256', 'base64', undefined, body, good)).toBe(false);
    expect(hmacMatches('sha1', 'hex', 's', body, createHmac('sha1', 's').update(body).digest('hex'))).toBe(true);
  });

  it('reads the consent configuration and refuses unknown topics', () => {
    expect(parseShopifyConsentTopics('')).toHaveLength(4);
    expect(parseSegmentConsentTraits('email_opt_in=*,loyalty_ok=loyalty')).toMatchObject({ loyalty_ok: ['loyalty'] });
    expect(() => parseSegmentConsentTraits('x=spam')).toThrow('"spam" is not a marketing topic');
  });
});
