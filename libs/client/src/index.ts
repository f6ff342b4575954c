import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';

export type SightlineClient = Client<paths>;

export interface SightlineClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Sent as `X-API-Key`. */
  apiKey?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  accessToken?: string;
}

/**
 * A typed client for the Sightline API, generated from the committed
 * `openapi.json` (`npm run openapi`). Used by the end-to-end tests and the
 * dashboard, so a contract change that breaks clients breaks them first.
 */
export function createSightlineClient(
  baseUrl: string,
  options: SightlineClientOptions = {},
): SightlineClient {
  const { apiKey, accessToken, headers, ...rest } = options;
  const authHeaders: Record<string, string> = {};
  if (apiKey !== undefined) authHeaders['X-API-Key'] = apiKey;
  if (accessToken !== undefined) authHeaders.Authorization = `Bearer ${accessToken}`;
  return createClient<paths>({
    baseUrl,
    ...rest,
    headers: { ...authHeaders, ...(headers as Record<string, string>) },
  });
}
