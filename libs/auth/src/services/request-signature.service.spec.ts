import type { Principal } from '@app/access';
import type { SignatureNoncesRepository } from '../repositories/signature-nonces.repository';
import { authConfig, FakeAuditTrail, META, ORG_A } from '../testing/fake-auth';
import { generateApiKey, sha256Hex, signingKeyOf } from './credentials';
import {
  RequestSignatureService,
  type SignedRequest,
  signingPayload,
  signPayload,
} from './request-signature.service';

/** SignatureNoncesRepository in memory: a nonce is claimed once per key. */
class FakeNonces {
  readonly claimed: Array<{ apiKeyId: string; nonce: string; expiresAt: Date }> = [];

  claim(apiKeyId: string, nonce: string, expiresAt: Date): Promise<boolean> {
    if (this.claimed.some((row) => row.apiKeyId === apiKeyId && row.nonce === nonce)) {
      return Promise.resolve(false);
    }
    this.claimed.push({ apiKeyId, nonce, expiresAt });
    return Promise.resolve(true);
  }

  asRepository(): SignatureNoncesRepository {
    return this as unknown as SignatureNoncesRepository;
  }
}

const NOW_SECONDS = 1_767_225_600; // 2026-01-01T00:00:00Z
const SKEW = 300;

interface Signing {
  method?: string;
  url?: string;
  body?: string;
  timestamp?: number;
  nonce?: string;
  /** The key the signature is made with (the presented key unless told otherwise). */
  signWith?: string;
}

/** A request presenting `apiKey`, signed as docs/api.md says, then `headers` changed. */
function signedRequest(
  apiKey: string,
  signing: Signing = {},
  headers: Record<string, string | string[] | undefined> = {},
  sent: { method?: string; url?: string; body?: string } = {},
): SignedRequest {
  const { method = 'POST', url = '/v1/api-keys?x=1', body = '{"name":"ci"}' } = signing;
  const timestamp = String(signing.timestamp ?? NOW_SECONDS);
  const signature = signPayload(
    signingKeyOf(signing.signWith ?? apiKey),
    signingPayload(timestamp, method, url, body),
  );
  const all = {
    'x-api-key': apiKey,
    'x-signature': signature,
    'x-signature-timestamp': timestamp,
    'x-signature-nonce': signing.nonce ?? 'nonce-0001',
    'user-agent': META.userAgent ?? undefined,
    'x-request-id': META.requestId,
    ...headers,
  };
  return {
    headers: all,
    raw: { headers: all },
    method: sent.method ?? method,
    url: sent.url ?? url,
    rawBody: sent.body ?? body,
    ip: META.ip,
  } as unknown as SignedRequest;
}

describe('RequestSignatureService', () => {
  const apiKey = generateApiKey().key;
  const principal: Principal = {
    kind: 'apiKey',
    id: 'key-1',
    organizationId: ORG_A,
    role: 'admin',
  };
  let nonces: FakeNonces;
  let audit: FakeAuditTrail;
  let service: RequestSignatureService;

  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW_SECONDS * 1000);
    nonces = new FakeNonces();
    audit = new FakeAuditTrail();
    service = new RequestSignatureService(
      nonces.asRepository(),
      audit.asService(),
      authConfig({ SIGNATURE_MAX_SKEW_SECONDS: String(SKEW) }),
    );
  });

  afterEach(() => jest.restoreAllMocks());

  /** The refusal of `request`: a 401 whose detail matches `detail`, audited, no nonce used. */
  async function expectRefused(request: SignedRequest, detail: RegExp): Promise<void> {
    const claimedBefore = nonces.claimed.length;
    const error: unknown = await service.verify(request, principal).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, slug: 'signature-invalid' });
    expect((error as Error).message).toMatch(detail);
    expect(audit.records.at(-1)).toEqual({
      actor: { kind: 'apiKey', id: 'key-1', organizationId: ORG_A },
      action: 'request.signature-rejected',
      outcome: 'denied',
      meta: META,
      details: {
        method: request.method,
        path: request.url.split('?')[0],
        reason: (error as Error).message,
      },
    });
    expect(nonces.claimed.length).toBe(claimedBefore);
  }

  it('accepts a signed request and claims its nonce for the key until the window ends', async () => {
    await expect(service.verify(signedRequest(apiKey), principal)).resolves.toBeUndefined();
    expect(nonces.claimed).toEqual([
      { apiKeyId: 'key-1', nonce: 'nonce-0001', expiresAt: new Date((NOW_SECONDS + SKEW) * 1000) },
    ]);
    expect(audit.records).toEqual([]);
  });

  it('names every missing signature header', async () => {
    await expectRefused(
      signedRequest(apiKey, {}, { 'x-signature': undefined, 'x-signature-nonce': undefined }),
      /missing X-Signature, X-Signature-Nonce$/,
    );
    await expectRefused(
      signedRequest(apiKey, {}, { 'x-signature-timestamp': undefined }),
      /missing X-Signature-Timestamp$/,
    );
  });

  it.each([
    ['a signature without its version', { 'x-signature': 'a'.repeat(64) }],
    ['a signature of 63 hex digits', { 'x-signature': `v1=${'a'.repeat(63)}` }],
    ['a timestamp that is not unix seconds', { 'x-signature-timestamp': '2026-01-01' }],
    ['a nonce of 7 characters', { 'x-signature-nonce': 'short12' }],
    ['a nonce with a space', { 'x-signature-nonce': 'nonce with space' }],
  ])('refuses %s as malformed', async (_case, headers) => {
    await expectRefused(signedRequest(apiKey, {}, headers), /^Malformed signature headers/);
  });

  it(`accepts a timestamp up to ${SKEW} s from the clock either way, and no further`, async () => {
    for (const [offset, nonce] of [
      [-SKEW, 'nonce-past'],
      [SKEW, 'nonce-future'],
    ] as const) {
      const request = signedRequest(apiKey, { timestamp: NOW_SECONDS + offset, nonce });
      await expect(service.verify(request, principal)).resolves.toBeUndefined();
    }
    await expectRefused(
      signedRequest(apiKey, { timestamp: NOW_SECONDS - SKEW - 1 }),
      /is 301 s from the server's clock \(allowed: 300 s\)/,
    );
    await expectRefused(
      signedRequest(apiKey, { timestamp: NOW_SECONDS + SKEW + 1 }),
      /is 301 s from the server's clock/,
    );
  });

  it.each([
    ['another body', {}, { body: '{"name":"ci","role":"admin"}' }],
    ['another method', {}, { method: 'PATCH' }],
    ['another query', {}, { url: '/v1/api-keys?x=2' }],
    ['another path', {}, { url: '/v1/users?x=1' }],
    ['a signature made with another key', { signWith: generateApiKey().key }, {}],
  ])('refuses a signature that does not match the request: %s', async (_case, signing, sent) => {
    await expectRefused(
      signedRequest(apiKey, signing, {}, sent),
      /^The signature does not match the request$/,
    );
  });

  it('refuses a signature keyed with the stored hash sha256hex(key), not the derived key', async () => {
    const timestamp = String(NOW_SECONDS);
    const withHash = signPayload(
      sha256Hex(apiKey),
      signingPayload(timestamp, 'POST', '/v1/api-keys?x=1', '{"name":"ci"}'),
    );
    await expectRefused(
      signedRequest(apiKey, {}, { 'x-signature': withHash }),
      /does not match the request/,
    );
  });

  it('refuses a request without the API key it was authenticated with', async () => {
    await expectRefused(
      signedRequest(apiKey, {}, { 'x-api-key': undefined }),
      /does not match the request/,
    );
  });

  it('refuses a nonce the key already used, though another key may use it', async () => {
    await service.verify(signedRequest(apiKey, { nonce: 'nonce-once' }), principal);
    await expectRefused(
      signedRequest(apiKey, { nonce: 'nonce-once' }),
      /^X-Signature-Nonce was already used$/,
    );
    const otherKey = generateApiKey().key;
    await expect(
      service.verify(signedRequest(otherKey, { nonce: 'nonce-once' }), {
        ...principal,
        id: 'key-2',
      }),
    ).resolves.toBeUndefined();
  });

  it('reads the first of repeated headers', async () => {
    const request = signedRequest(apiKey);
    const nonce = request.headers['x-signature-nonce'] as string;
    request.headers['x-signature-nonce'] = [nonce, 'nonce-second'];
    await service.verify(request, principal);
    expect(nonces.claimed.map((row) => row.nonce)).toEqual([nonce]);
  });

  it('fails, and accepts nothing, when the nonces cannot be recorded', async () => {
    jest.spyOn(nonces, 'claim').mockRejectedValue(new Error('the database went away'));
    await expect(service.verify(signedRequest(apiKey), principal)).rejects.toThrow(
      'the database went away',
    );
  });
});
