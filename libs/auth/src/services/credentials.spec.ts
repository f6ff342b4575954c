import { createHash, createHmac } from 'node:crypto';
import {
  digestsEqual,
  generateApiKey,
  hashPassword,
  parseApiKey,
  sha256Hex,
  signingKeyOf,
  verifyPassword,
} from './credentials';
import { signingPayload, signPayload } from './request-signature.service';

describe('API keys', () => {
  it('are sl_<12 base62>_<43 base64url>, hashed with SHA-256', () => {
    const generated = generateApiKey();
    expect(generated.key).toMatch(/^sl_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(generated.key.startsWith(`sl_${generated.prefix}_`)).toBe(true);
    expect(generated.keyHash).toBe(createHash('sha256').update(generated.key).digest('hex'));
    expect(generateApiKey().key).not.toBe(generated.key);
  });

  it('parse back only when well formed', () => {
    const generated = generateApiKey();
    expect(parseApiKey(generated.key)).toEqual(generated);
    for (const bad of [
      '',
      'sl_short_x',
      `${generated.key}x`,
      generated.key.replace('sl_', 'sk_'),
      `sl_${'A'.repeat(12)}_${'!'.repeat(43)}`,
    ]) {
      expect(parseApiKey(bad)).toBeUndefined();
    }
  });
});

describe('passwords', () => {
  it('hash with argon2id and verify only the right password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    await expect(verifyPassword(hash, 'correct horse battery')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'wrong')).resolves.toBe(false);
  });

  it('never verify for an unknown user, whatever the password', async () => {
    await expect(verifyPassword(undefined, 'anything')).resolves.toBe(false);
  });
});

describe('request signatures', () => {
  it('sign timestamp, method, path and body hash with the derived signing key, as docs/api.md specifies', () => {
    const apiKey = generateApiKey().key;
    const payload = signingPayload('1700000000', 'post', '/v1/api-keys?x=1', '{"a":1}');
    expect(payload).toBe(`1700000000\nPOST\n/v1/api-keys?x=1\n${sha256Hex('{"a":1}')}`);
    const signingKey = createHmac('sha256', apiKey)
      .update('sightline-request-signing-v1')
      .digest('hex');
    const expected = createHmac('sha256', signingKey).update(payload).digest('hex');
    expect(signPayload(signingKeyOf(apiKey), payload)).toBe(`v1=${expected}`);
  });

  it('derive a signing key that is not the stored hash (a fixed vector, from openssl)', () => {
    const apiKey = `sl_ABCDEFGHIJKL_${'a'.repeat(43)}`;
    expect(signingKeyOf(apiKey)).toBe(
      'c0520fd3c2d75552f098ec1247e858de55a82daa52696eb25f43c77f6ab3e02c',
    );
    expect(signingKeyOf(apiKey)).not.toBe(sha256Hex(apiKey));
  });

  it('hash an empty body as the empty string', () => {
    expect(signingPayload('1', 'DELETE', '/v1/x', '')).toBe(`1\nDELETE\n/v1/x\n${sha256Hex('')}`);
  });

  it('compare digests in constant time and only at equal length', () => {
    expect(digestsEqual('abc', 'abc')).toBe(true);
    expect(digestsEqual('abc', 'abd')).toBe(false);
    expect(digestsEqual('abc', 'abcd')).toBe(false);
  });
});
