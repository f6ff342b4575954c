/**
 * An email-and-password session (docs/api.md, "Browser sessions"): the access token lives in
 * this object only, never in storage; the HttpOnly refresh cookie renews it, with the readable
 * CSRF cookie echoed in `X-CSRF-Token`.
 */
const CSRF_COOKIE = 'sightline_csrf';

interface TokenAnswer {
  accessToken: string;
}

export type LoginAnswer = { session: BrowserSession } | { refused: Response };

export class BrowserSession {
  /** The refresh under way, shared by every call that found its token refused. */
  private refreshing?: Promise<boolean>;

  private constructor(private accessToken: string) {}

  static async login(email: string, password: string): Promise<LoginAnswer> {
    const response = await fetch('/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password, session: 'cookie' }),
    });
    if (!response.ok) return { refused: response };
    return { session: new BrowserSession(await accessTokenOf(response)) };
  }

  /** The session a reload left behind, if its cookie still renews; no call without one. */
  static async restore(): Promise<BrowserSession | undefined> {
    const token = await renewedToken();
    return token === undefined ? undefined : new BrowserSession(token);
  }

  /** Whether this tab may hold a session: the CSRF cookie outlives a reload. */
  static mayRestore(): boolean {
    return csrfToken() !== undefined;
  }

  /**
   * `fetch` for the API client: sends the access token and, when it is refused, renews it
   * once and retries; a second refusal is the caller's to handle.
   */
  readonly fetch = async (request: Request): Promise<Response> => {
    const retry = request.clone();
    const sentWith = this.accessToken;
    const response = await fetch(this.authorised(request));
    if (response.status !== 401) return response;
    // Another call may have renewed the token while this one was under way.
    if (this.accessToken === sentWith && !(await this.refresh())) return response;
    return fetch(this.authorised(retry));
  };

  /** Revokes the refresh cookie's family and clears the cookies; the tab is signed out anyway. */
  async logout(): Promise<void> {
    const csrf = csrfToken();
    await fetch('/v1/auth/logout', {
      method: 'POST',
      headers: csrf === undefined ? {} : { 'X-CSRF-Token': csrf },
    }).catch(() => undefined);
  }

  private refresh(): Promise<boolean> {
    this.refreshing ??= renewedToken()
      .then((token) => {
        if (token === undefined) return false;
        this.accessToken = token;
        return true;
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private authorised(request: Request): Request {
    request.headers.set('Authorization', `Bearer ${this.accessToken}`);
    return request;
  }
}

/** A new access token from the refresh cookie, or undefined when the session is over. */
async function renewedToken(): Promise<string | undefined> {
  const csrf = csrfToken();
  if (csrf === undefined) return undefined;
  try {
    const response = await fetch('/v1/auth/refresh', {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf },
    });
    return response.ok ? await accessTokenOf(response) : undefined;
  } catch {
    return undefined;
  }
}

async function accessTokenOf(response: Response): Promise<string> {
  return ((await response.json()) as TokenAnswer).accessToken;
}

function csrfToken(): string | undefined {
  for (const pair of document.cookie.split(';')) {
    const [name, value] = pair.trim().split('=');
    if (name === CSRF_COOKIE && value !== undefined && value !== '') return value;
  }
  return undefined;
}
