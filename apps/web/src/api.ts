import { type components, createSightlineClient, type SightlineClient } from '@app/client';
import type { BrowserSession } from './browser-session';

export type Api = SightlineClient;
export type Principal = components['schemas']['MeDto'];
export type ProblemDetails = components['schemas']['ProblemDetails'];

/**
 * How the dashboard proves who it is: an API key (kept in session storage), or an email and
 * password session (access token in memory, refresh token in an HttpOnly cookie).
 */
export interface ApiKeyCredential {
  kind: 'apiKey';
  apiKey: string;
}
export interface SessionCredential {
  kind: 'session';
  session: BrowserSession;
}
export type Credential = ApiKeyCredential | SessionCredential;

/** A typed client on this origin's `/v1` API, signed with `credential`. */
export function createApi(credential: Credential, onUnauthorized?: (problem: string) => void): Api {
  const api = createSightlineClient(
    window.location.origin,
    credential.kind === 'apiKey'
      ? { apiKey: credential.apiKey }
      : { fetch: credential.session.fetch },
  );
  if (onUnauthorized !== undefined) {
    // Any call refused for its credential ends the session, wherever it was made.
    api.use({
      async onResponse({ response }) {
        if (response.status === 401) onUnauthorized(await problemDetail(response.clone()));
        return undefined;
      },
    });
  }
  return api;
}

/** Who `credential` is, or why the API refused it. */
export async function whoAmI(
  credential: Credential,
): Promise<{ principal: Principal } | { refused: string }> {
  const { data, error, response } = await createApi(credential).GET('/v1/auth/me');
  if (data !== undefined) return { principal: data };
  return { refused: describeProblem(error, response) };
}

/** The sentence to show for a failed call: the problem's detail when the API sent one. */
export function describeProblem(error: unknown, response?: Response): string {
  if (isProblem(error)) return error.detail;
  if (response !== undefined) return `The API answered ${response.status} ${response.statusText}`;
  if (error instanceof Error) return `The API could not be reached (${error.message})`;
  return 'The API could not be reached';
}

/** The sentence for a refused response, from its problem body when it has one. */
export async function problemDetail(response: Response): Promise<string> {
  try {
    return describeProblem(await response.json(), response);
  } catch {
    return describeProblem(undefined, response);
  }
}

function isProblem(value: unknown): value is ProblemDetails {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ProblemDetails>).detail === 'string' &&
    typeof (value as Partial<ProblemDetails>).status === 'number'
  );
}
