import type { Principal } from '@app/access';
import { AuditService } from '@app/audit';
import { ProblemException, requestMetaOf } from '@app/common';
import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHmac } from 'node:crypto';
import { SignatureNoncesRepository } from '../repositories/signature-nonces.repository';
import { actorOf } from './api-keys.service';
import { digestsEqual, sha256Hex, signingKeyOf } from './credentials';

export type SignedRequest = FastifyRequest & { rawBody?: Buffer | string };

const SIGNATURE = /^v1=([0-9a-f]{64})$/;
const TIMESTAMP = /^\d{1,12}$/;
const NONCE = /^[A-Za-z0-9_-]{8,128}$/;

/** The canonical string an API-key caller signs (docs/api.md, "Request signing"). */
export function signingPayload(
  timestamp: string,
  method: string,
  pathWithQuery: string,
  body: Buffer | string,
): string {
  return `${timestamp}\n${method.toUpperCase()}\n${pathWithQuery}\n${sha256Hex(body)}`;
}

/** `v1=<hex>` for a payload, keyed with the key's {@link signingKeyOf}. */
export function signPayload(signingKey: string, payload: string): string {
  return `v1=${createHmac('sha256', signingKey).update(payload).digest('hex')}`;
}

/**
 * Verifies request signatures on sensitive operations: HMAC-SHA256 over
 * timestamp, method, path with query and body hash; the timestamp within the
 * configured skew; the nonce never accepted twice for the key (recorded in
 * PostgreSQL, so across every replica).
 */
@Injectable()
export class RequestSignatureService {
  constructor(
    private readonly nonces: SignatureNoncesRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async verify(request: SignedRequest, principal: Principal): Promise<void> {
    const signature = header(request, 'x-signature');
    const timestamp = header(request, 'x-signature-timestamp');
    const nonce = header(request, 'x-signature-nonce');
    const missing = [
      ['X-Signature', signature],
      ['X-Signature-Timestamp', timestamp],
      ['X-Signature-Nonce', nonce],
    ].flatMap(([name, value]) => (value === undefined ? [name] : []));
    if (missing.length > 0) {
      await this.reject(
        request,
        principal,
        `This operation must be signed when called with an API key; missing ${missing.join(', ')}`,
      );
    }
    if (
      !SIGNATURE.test(signature ?? '') ||
      !TIMESTAMP.test(timestamp ?? '') ||
      !NONCE.test(nonce ?? '')
    ) {
      await this.reject(
        request,
        principal,
        'Malformed signature headers: X-Signature is v1=<64 hex>, X-Signature-Timestamp unix seconds, X-Signature-Nonce 8–128 of [A-Za-z0-9_-]',
      );
    }
    const skew = Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp));
    if (skew > this.config.auth.signatureMaxSkewSeconds) {
      await this.reject(
        request,
        principal,
        `X-Signature-Timestamp is ${skew} s from the server's clock (allowed: ${this.config.auth.signatureMaxSkewSeconds} s)`,
      );
    }
    // The principal was authenticated from this very header (ApiKeyStrategy reads the same value).
    const presented = header(request, 'x-api-key');
    const expected = signPayload(
      signingKeyOf(presented ?? ''),
      signingPayload(timestamp ?? '', request.method, request.url, request.rawBody ?? ''),
    );
    if (presented === undefined || !digestsEqual(expected, signature ?? '')) {
      await this.reject(request, principal, 'The signature does not match the request');
    }
    const expiresAt = new Date(
      (Number(timestamp) + this.config.auth.signatureMaxSkewSeconds) * 1000,
    );
    if (!(await this.nonces.claim(principal.id, nonce ?? '', expiresAt))) {
      await this.reject(request, principal, 'X-Signature-Nonce was already used');
    }
  }

  private async reject(
    request: SignedRequest,
    principal: Principal,
    detail: string,
  ): Promise<never> {
    await this.audit.record({
      actor: actorOf(principal),
      action: 'request.signature-rejected',
      outcome: 'denied',
      meta: requestMetaOf(request),
      details: { method: request.method, path: request.url.split('?')[0], reason: detail },
    });
    throw new ProblemException(401, 'signature-invalid', detail);
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
