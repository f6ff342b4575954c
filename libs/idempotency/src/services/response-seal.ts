import type { OrganizationId } from '@app/tenancy';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** A stored response, encrypted: `{sealed: base64(iv ‖ tag ‖ ciphertext)}`. */
export interface SealedResponse {
  sealed: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const INFO = 'sightline idempotency response v1';

/**
 * Encrypts the responses kept for `Idempotency-Key` replays (AES-256-GCM), so a copy of the
 * database alone does not hold what they hold — a new API key's secret, organization data.
 * Each row's key is derived (HKDF-SHA256) from the server's secret and the row's
 * organization and key; the row's identity is the GCM additional data, so a sealed body
 * moved to another row does not open.
 */
export class ResponseSeal {
  constructor(private readonly secret: string) {}

  seal(organizationId: OrganizationId, key: string, body: unknown): SealedResponse {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(organizationId, key), iv);
    cipher.setAAD(Buffer.from(`${organizationId}\n${key}`));
    const plain = Buffer.from(JSON.stringify(body ?? null));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return { sealed: Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64') };
  }

  /** The body `seal` was given; undefined when it does not open (another server secret). */
  open(organizationId: OrganizationId, key: string, stored: SealedResponse): unknown {
    const bytes = Buffer.from(stored.sealed, 'base64');
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.keyFor(organizationId, key),
        bytes.subarray(0, IV_BYTES),
      );
      decipher.setAAD(Buffer.from(`${organizationId}\n${key}`));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
      return JSON.parse(plain.toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  private keyFor(organizationId: OrganizationId, key: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.secret, `${organizationId}\n${key}`, INFO, 32));
  }
}

export function isSealed(body: unknown): body is SealedResponse {
  return (
    typeof body === 'object' &&
    body !== null &&
    Object.keys(body).length === 1 &&
    typeof (body as { sealed?: unknown }).sealed === 'string'
  );
}
