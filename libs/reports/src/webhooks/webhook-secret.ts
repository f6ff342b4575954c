import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks' prefix for a symmetric signing secret. */
const SECRET_PREFIX = 'whsec_';
/** The spec allows keys of 24 to 64 bytes; ours are 32. */
const KEY_BYTES = 32;
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;
/** Canonical base64 only: Buffer.from(…, 'base64') skips anything else silently. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The headers that carry a Standard Webhooks (v1) signature. */
export interface WebhookSignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export interface SignWebhookInput {
  /** The message id, the same on every retry of one delivery (receivers deduplicate on it). */
  id: string;
  /** Unix time in whole seconds at which this attempt is sent. */
  timestamp: number;
  /** The exact body sent: a signature over re-serialised JSON would not verify. */
  body: string;
  /** Every secret that signs; two during a rotation window (old and new). */
  secrets: readonly string[];
}

/** A new signing secret: `whsec_` followed by the base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(KEY_BYTES).toString('base64');
}

/**
 * The HMAC key inside a `whsec_` secret. Throws on anything malformed; the message never
 * repeats the secret, which may end up in a log.
 */
export function webhookSecretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new Error(`malformed webhook secret: it must start with "${SECRET_PREFIX}"`);
  }
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (encoded === '' || !BASE64.test(encoded)) {
    throw new Error('malformed webhook secret: the part after the prefix is not base64');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw new Error(
      `malformed webhook secret: its key is ${key.length} bytes, not ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES}`,
    );
  }
  return key;
}

/**
 * Standard Webhooks v1 headers for one attempt: `v1,<base64 HMAC-SHA256>` of
 * `<id>.<timestamp>.<body>` for each secret, space-separated, so a receiver holding either
 * the old or the new secret accepts the message while a rotation is under way.
 */
export function signWebhook(input: SignWebhookInput): WebhookSignatureHeaders {
  const { id, timestamp, body, secrets } = input;
  // A dot in the id would make "<id>.<timestamp>.<body>" ambiguous; whitespace breaks headers.
  if (id === '' || /[\s.]/.test(id)) {
    throw new Error('webhook id must be non-empty, without whitespace or dots');
  }
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new Error('webhook timestamp must be whole Unix seconds');
  }
  if (secrets.length === 0) throw new Error('a webhook needs at least one signing secret');
  const signed = `${id}.${timestamp}.${body}`;
  const signatures = secrets.map(
    (secret) =>
      `v1,${createHmac('sha256', webhookSecretKey(secret)).update(signed, 'utf8').digest('base64')}`,
  );
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}
