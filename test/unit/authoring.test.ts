import { allows, lacksRole, roleOfGroups } from '../../functions/domain/authoring/roles';
import { forbiddenKeyPath, isName } from '../../functions/domain/authoring/safeKeys';
import { changedParts } from '../../functions/domain/authoring/draftParts';
import { allowedRecipient } from '../../functions/handlers/templateApiHandler';
import { issueSession, readSession, SESSION_SECONDS } from '../../functions/handlers/console/signIn/session';

describe('roles', () => {
  it('ranks viewer < editor < publisher and names what is missing', () => {
    expect(allows('publisher', 'editor')).toBe(true);
    expect(allows('editor', 'publisher')).toBe(false);
    expect(allows('viewer', 'viewer')).toBe(true);
    expect(lacksRole({ actor: 'editor-key', role: 'editor' }, 'publisher')).toBe('needs the publisher role; editor-key is an editor');
  });

  it('takes the highest Cognito group, and viewer without one', () => {
    expect(roleOfGroups(['editor', 'publisher'])).toBe('publisher');
    expect(roleOfGroups(['marketing', 'editor'])).toBe('editor');
    expect(roleOfGroups(undefined)).toBe('viewer');
  });
});

describe('draft bodies', () => {
  it('finds a prototype key anywhere, with its path', () => {
    expect(forbiddenKeyPath({ parts: { samples: { a: { data: { cart: [{ constructor: 1 }] } } } } })).toBe(
      'parts.samples.a.data.cart[0].constructor',
    );
    expect(forbiddenKeyPath(JSON.parse('{"a": {"__proto__": {"x": 1}}}'))).toBe('a.__proto__');
    expect(forbiddenKeyPath({ strings: { 'constructor-ish': 'fine' } })).toBeUndefined();
  });

  it('names names that are not slugs', () => {
    expect(isName('abandoned-cart')).toBe(true);
    for (const bad of ['../x', 'Cart', '', '-x', 'a'.repeat(65), 'a/b']) expect(isName(bad)).toBe(false);
  });

  it('says which parts differ, per locale', () => {
    const a = { mjml: 'x', text: 't', locales: { en: { subject: 'a' }, pl: { subject: 'b' } } };
    expect(changedParts(a, { ...a, text: 'u', locales: { ...a.locales, pl: { subject: 'c' } } })).toEqual(['locales.pl', 'text']);
    expect(changedParts(a, a)).toEqual([]);
  });
});

describe('test-send allow-list', () => {
  it('matches addresses exactly and *@domain by domain, without case', () => {
    const list = ['*@shop.example', 'Boss@Elsewhere.example'];
    expect(allowedRecipient('me@SHOP.example', list)).toBe(true);
    expect(allowedRecipient('boss@elsewhere.example', list)).toBe(true);
    expect(allowedRecipient('me@shop.example.evil', list)).toBe(false);
    expect(allowedRecipient('x@sub.shop.example', list)).toBe(false);
    expect(allowedRecipient('anyone@anywhere.example', undefined)).toBe(true);
  });
});

describe('console sessions with roles', () => {
  const key = Buffer.alloc(32, 7);
  const now = 1_800_000_000;
  it('an editor key signs an editor in; the admin key a publisher; an account carries its signed role', () => {
    const accepted = { adminKeys: ['dev-admin'], editorKeys: ['dev-editor'], idp: true };
    expect(readSession(issueSession(key, { kind: 'key', adminKey: 'dev-editor' }, now), key, accepted, now)).toMatchObject({
      actor: 'editor-key',
      role: 'editor',
      issuedAt: now,
      expiresAt: now + SESSION_SECONDS,
    });
    expect(readSession(issueSession(key, { kind: 'key', adminKey: 'dev-admin' }, now), key, accepted, now)).toMatchObject({
      actor: 'admin-key',
      role: 'publisher',
    });
    const account = issueSession(key, { kind: 'idp', subject: 'marketer-1', role: 'editor' }, now);
    expect(readSession(account, key, accepted, now)).toMatchObject({ actor: 'idp:marketer-1', role: 'editor' });
    // The role is signed: changing it breaks the MAC.
    const [v, exp, nonce, who, mac] = account.split('.');
    const forged = Buffer.from('marketer-1\npublisher').toString('base64url');
    expect(readSession([v, exp, nonce, forged, mac].join('.'), key, accepted, now)).toBeUndefined();
    expect(who).not.toBe(forged);
    // Without the editor key among the accepted ones, an editor's session no longer checks out.
    expect(
      readSession(issueSession(key, { kind: 'key', adminKey: 'dev-editor' }, now), key, { adminKeys: ['dev-admin'], idp: false }, now),
    ).toBeUndefined();
  });
});
