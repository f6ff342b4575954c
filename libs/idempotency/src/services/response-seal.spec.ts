import { organizationIdOf } from '@app/tenancy';
import { isSealed, ResponseSeal } from './response-seal';

describe('ResponseSeal', () => {
  const seal = new ResponseSeal('a-server-secret-of-at-least-32-characters');
  const body = { id: 'k1', key: 'sl_secretsecret_abc', nested: [1, null, 'x'] };

  it('opens what it sealed, and the sealed form holds none of it', () => {
    const sealed = seal.seal(organizationIdOf('org-1'), 'key-1', body);

    expect(isSealed(sealed)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain('sl_secretsecret_abc');
    expect(seal.open(organizationIdOf('org-1'), 'key-1', sealed)).toEqual(body);
    expect(
      seal.open(
        organizationIdOf('org-1'),
        'key-1',
        seal.seal(organizationIdOf('org-1'), 'key-1', undefined),
      ),
    ).toBeNull();
  });

  it('seals the same body differently each time (a fresh IV)', () => {
    expect(seal.seal(organizationIdOf('org-1'), 'key-1', body).sealed).not.toBe(
      seal.seal(organizationIdOf('org-1'), 'key-1', body).sealed,
    );
  });

  it('does not open under another row, another secret, or after tampering', () => {
    const sealed = seal.seal(organizationIdOf('org-1'), 'key-1', body);
    const bytes = Buffer.from(sealed.sealed, 'base64');
    bytes[bytes.length - 1] ^= 1;

    expect(seal.open(organizationIdOf('org-2'), 'key-1', sealed)).toBeUndefined();
    expect(seal.open(organizationIdOf('org-1'), 'key-2', sealed)).toBeUndefined();
    expect(
      new ResponseSeal('another-secret-of-at-least-32-characters').open(
        organizationIdOf('org-1'),
        'key-1',
        sealed,
      ),
    ).toBeUndefined();
    expect(
      seal.open(organizationIdOf('org-1'), 'key-1', { sealed: bytes.toString('base64') }),
    ).toBeUndefined();
  });

  it('tells a sealed row from a plain one (rows written before sealing)', () => {
    expect(isSealed({ sealed: 'abc' })).toBe(true);
    expect(isSealed({ sealed: 'abc', id: 1 })).toBe(false);
    expect(isSealed({ count: 1 })).toBe(false);
    expect(isSealed(null)).toBe(false);
  });
});
