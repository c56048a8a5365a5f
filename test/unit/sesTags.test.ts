import {
  confirmationTags,
  decodeCustomerTag,
  decodeJourneyTag,
  encodeCustomerTag,
  sendTagOf,
} from '../../functions/domain/sending/sesTags';

const send = { customerId: 'c-1', campaignId: 'abandoned-cart', stepId: 'reminder-1', instanceId: 'evt-1', journeyKey: 'cart/ä 1' };

describe('SES tags', () => {
  it('carry the customer and the journey in the characters SES allows, and back', () => {
    const tags = Object.fromEntries(confirmationTags(send).map((t) => [t.name, t.value]));
    for (const value of [...Object.values(tags), encodeCustomerTag(send.customerId)]) expect(value).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(decodeJourneyTag(tags['journey']!)).toBe('cart/ä 1');
    expect(decodeCustomerTag(encodeCustomerTag('ćma@1'))).toBe('ćma@1');
  });

  it('name the very send: another instance or step gives another send tag', () => {
    expect(sendTagOf(send)).toHaveLength(22);
    expect(sendTagOf(send)).toBe(sendTagOf({ ...send }));
    expect(sendTagOf({ ...send, instanceId: 'evt-2' })).not.toBe(sendTagOf(send));
    expect(sendTagOf({ ...send, stepId: 'reminder-2' })).not.toBe(sendTagOf(send));
  });

  it('leave the journey out when it would not fit a tag: such a send cannot be confirmed', () => {
    expect(confirmationTags({ ...send, journeyKey: 'x'.repeat(200) })).toEqual([]);
    expect(confirmationTags({ ...send, journeyKey: 'x'.repeat(192) })).toHaveLength(2);
  });
});
