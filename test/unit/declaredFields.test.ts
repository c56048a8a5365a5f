import { ALWAYS_AVAILABLE, MissingDataError, pickDeclared } from '../../functions/domain/rendering/context';
import { isHttpUrl } from '../../functions/domain/rendering/links';
import type { FieldDeclaration } from '../../functions/domain/rendering/publishedTemplate';
import { levelRank, type PersonalizationLevel } from '../../functions/domain/customers/profile';

/** The rule in its plainest form, written apart from the picker: the picker must agree with it. */
function reference(candidate: Record<string, unknown>, fields: Record<string, FieldDeclaration>, level: PersonalizationLevel) {
  const context: Record<string, unknown> = {};
  for (const key of ALWAYS_AVAILABLE) context[key] = candidate[key];
  const fieldsUsed: string[] = [];
  const missing: string[] = [];
  for (const [path, declaration] of Object.entries(fields)) {
    const keys = path.split('.');
    let value: unknown = candidate;
    for (const key of keys) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (levelRank(declaration.level) > levelRank(level)) value = undefined;
    if (declaration.type === 'url' && !isHttpUrl(value)) value = undefined;
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
      if (declaration.required) missing.push(path);
      continue;
    }
    let node = context;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = value;
    fieldsUsed.push(path);
  }
  return missing.length ? { missing } : { context, fieldsUsed };
}

const picked = (candidate: Record<string, unknown>, fields: Record<string, FieldDeclaration>, level: PersonalizationLevel) => {
  try {
    return pickDeclared(candidate, fields, level);
  } catch (error) {
    if (error instanceof MissingDataError) return { missing: error.fields };
    throw error;
  }
};

describe('declared fields', () => {
  const fields: Record<string, FieldDeclaration> = {
    'customer.firstName': { type: 'string', level: 'basic', required: true },
    'customer.address.city': { type: 'string', level: 'full', required: false },
    'cart.url': { type: 'url', level: 'basic', required: false },
    'cart.items': { type: 'list', level: 'basic', required: false },
    'cart.items.name': { type: 'string', level: 'basic', required: false },
    'loyalty.points': { type: 'number', level: 'none', required: false },
    // Through a string, a path reads as absent, even where the string has the property.
    'customer.firstName.length': { type: 'number', level: 'none', required: false },
    recommendations: { type: 'list', level: 'full', required: false },
    'product.a"b\\c': { type: 'string', level: 'none', required: false },
  };
  const candidates: Record<string, unknown>[] = [
    {
      customer: { firstName: 'Ada', address: { city: 'Kraków' } },
      cart: { url: 'https://s.example/c', items: [{ name: 'Mug' }] },
      loyalty: { points: 0 },
      recommendations: [1],
      links: { unsubscribe: 'u' },
      shop: { name: 'S' },
      step: {},
    },
    {
      customer: { firstName: 'Ada', address: 'a string, not an object' },
      cart: { url: 'javascript:alert(1)', items: [] },
      loyalty: { points: null },
      recommendations: [],
    },
    { customer: { firstName: '' }, cart: 'text', loyalty: 5, product: { 'a"b\\c': 'quoted key' } },
    { customer: null, cart: { url: 42, items: 'not a list' }, loyalty: { points: false } },
    { customer: { firstName: 'Bo', address: { city: '' } }, cart: { items: { name: 'an object, not a list' } } },
    {},
  ];
  it.each(['none', 'basic', 'full'] as const)('at level %s: what a plain loop over the paths gives, for every shape of data', (level) => {
    for (const candidate of candidates) expect(picked(candidate, fields, level)).toEqual(reference(candidate, fields, level));
  });

  it('names every required field that is missing', () => {
    const required: Record<string, FieldDeclaration> = {
      'customer.firstName': { type: 'string', level: 'basic', required: true },
      'cart.url': { type: 'url', level: 'basic', required: true },
    };
    expect(() => pickDeclared({ customer: {}, cart: { url: 'ftp://x' } }, required, 'full')).toThrow(
      new MissingDataError(['customer.firstName', 'cart.url']),
    );
  });

  it('reads a path as data, whatever characters it has', () => {
    const key = 'x"); throw new Error("injected';
    const odd: Record<string, FieldDeclaration> = { [`product.${key}`]: { type: 'string', level: 'none', required: false } };
    expect(pickDeclared({ product: { [key]: 'ok' } }, odd, 'none').context).toMatchObject({ product: { [key]: 'ok' } });
  });
});
