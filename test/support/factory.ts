import type { OrganizationId } from '@app/tenancy';
import type { Role } from '@app/access';
import {
  ApiKeysService,
  OrganizationBootstrapService,
  signingKeyOf,
  signingPayload,
  signPayload,
} from '@app/auth';
import type { INestApplication } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';

export interface TestOrganization {
  organizationId: OrganizationId;
  /** The organization's first admin API key. */
  adminKey: string;
}

/**
 * Inserts valid rows through the app's own services, so tests build exactly
 * the state they need and lean on no shared seed.
 */
export class Factory {
  constructor(private readonly app: INestApplication) {}

  async newOrganization(name = `Org ${randomUUID().slice(0, 8)}`): Promise<TestOrganization> {
    const created = await this.app.get(OrganizationBootstrapService).createOrganization(name);
    return { organizationId: created.organizationId, adminKey: created.apiKey };
  }

  async newApiKey(
    organizationId: OrganizationId,
    role: Role,
    expiresAt: Date | null = null,
  ): Promise<{ id: string; key: string }> {
    const created = await this.app
      .get(ApiKeysService)
      .issue(organizationId, `${role} key`, role, expiresAt);
    return { id: created.id, key: created.key };
  }
}

/** Headers that sign a request for an API key, as a client following docs/api.md would. */
export function signedHeaders(
  apiKey: string,
  method: string,
  pathWithQuery: string,
  body = '',
  overrides: { timestamp?: number; nonce?: string } = {},
): Record<string, string> {
  const timestamp = String(overrides.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = signPayload(
    signingKeyOf(apiKey),
    signingPayload(timestamp, method, pathWithQuery, body),
  );
  return {
    'x-api-key': apiKey,
    'x-signature': signature,
    'x-signature-timestamp': timestamp,
    'x-signature-nonce': overrides.nonce ?? randomBytes(12).toString('base64url'),
  };
}

function parseJson(text: string): Record<string, unknown> {
  if (text === '') return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { text };
  }
}

/** A fetch helper for JSON APIs that returns status, headers and the parsed body. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown>; text: string }> {
  const raw =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(raw === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: raw,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parseJson(text), text };
}
