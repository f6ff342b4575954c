import * as argon2 from 'argon2';
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const API_KEY_PATTERN = /^sl_([A-Za-z0-9]{12})_[A-Za-z0-9_-]{43}$/;

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time comparison of two hex or text digests. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface GeneratedApiKey {
  /** `sl_<prefix>_<secret>`: shown to the client once. */
  key: string;
  prefix: string;
  /** sha256hex(key): what is stored, and the principal cache's entry name; never a signing key. */
  keyHash: string;
}

const SIGNING_KEY_CONTEXT = 'sightline-request-signing-v1';

/**
 * The HMAC key of an API key's request signatures (docs/api.md): hex(HMAC-SHA256(key, context)).
 * Derived from the presented key each time, so nothing stored or cached can sign.
 */
export function signingKeyOf(apiKey: string): string {
  return createHmac('sha256', apiKey).update(SIGNING_KEY_CONTEXT).digest('hex');
}

/** A new API key: a 12-character visible prefix and 256 bits of secret. */
export function generateApiKey(): GeneratedApiKey {
  const prefix = Array.from({ length: 12 }, () => BASE62[randomInt(BASE62.length)]).join('');
  return describeApiKey(`sl_${prefix}_${randomBytes(32).toString('base64url')}`);
}

/** Prefix and hash of a well-formed key; `undefined` for anything else. */
export function parseApiKey(key: string): GeneratedApiKey | undefined {
  return API_KEY_PATTERN.test(key) ? describeApiKey(key) : undefined;
}

function describeApiKey(key: string): GeneratedApiKey {
  const prefix = API_KEY_PATTERN.exec(key)?.[1] ?? '';
  return { key, prefix, keyHash: sha256Hex(key) };
}

/** argon2id with the library's defaults (m=64 MiB, t=3, p=4). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Verifying against this when the email is unknown keeps failed logins equally slow either way.
const UNKNOWN_USER_HASH =
  '$argon2id$v=19$m=65536,t=3,p=4$c2lnaHRsaW5lLWR1bW15$4dPzAr9dWcDhUo4GkTDMkgV9QdBhLo8OZDl4o1hAmuQ';

export async function verifyPassword(
  passwordHash: string | undefined,
  password: string,
): Promise<boolean> {
  try {
    const matches = await argon2.verify(passwordHash ?? UNKNOWN_USER_HASH, password);
    return matches && passwordHash !== undefined;
  } catch {
    return false;
  }
}

/** A refresh token: `<id>.<secret>`; only sha256hex(secret) is stored. */
export function generateRefreshSecret(): string {
  return randomBytes(32).toString('base64url');
}
