import type { call } from './factory';

/** One Set-Cookie header: its name, value and attributes (lower-case names; flags map to true). */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  const equals = pair.indexOf('=');
  return {
    name: pair.slice(0, equals),
    value: pair.slice(equals + 1),
    attributes: Object.fromEntries(
      attributes.map((attribute) => {
        const [name = '', value] = attribute.split('=');
        return [name.toLowerCase(), value ?? true];
      }),
    ),
  };
}

export type Response = Awaited<ReturnType<typeof call>>;

/**
 * A browser's cookie store for the auth routes (all under `/v1/auth`, so every cookie the
 * API sets applies): it sends what the last responses set, as a page of the site would,
 * with the CSRF header copied from the readable cookie unless told otherwise.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  /** The Set-Cookie headers of the last response. */
  set: SetCookie[] = [];

  constructor(
    private readonly send: (
      path: string,
      headers: Record<string, string>,
      body?: unknown,
    ) => Promise<Response>,
  ) {}

  async post(
    path: string,
    options: { body?: unknown; csrf?: string | null } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    const csrf = options.csrf === undefined ? this.cookies.get('sightline_csrf') : options.csrf;
    if (csrf !== undefined && csrf !== null) headers['x-csrf-token'] = csrf;
    const response = await this.send(path, headers, options.body);
    this.set = response.headers.getSetCookie().map(parseSetCookie);
    for (const cookie of this.set) {
      if (cookie.attributes['max-age'] === '0') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  /** The same cookies in another browser: a copy an attacker made. */
  clone(): Browser {
    const copy = new Browser(this.send);
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    return copy;
  }

  cookie(name: string): SetCookie | undefined {
    return this.set.find((cookie) => cookie.name === name);
  }
}
