import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { WebhookTarget } from './webhook-address';

export const WEBHOOK_USER_AGENT = 'Sightline-Webhooks/1';
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 15_000;
/** Response bytes read before the connection is dropped; the body itself is never kept. */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** Long enough to tell a redirect's target or a TLS failure apart, short enough for a table cell. */
const MAX_ERROR_CHARS = 200;

export type WebhookDisposition = 'delivered' | 'retry' | 'gone';

/** What one delivery attempt came to; HTTP outcomes are never thrown. */
export interface WebhookAttemptOutcome {
  /** The receiver's status, or null when none came (timeout, connection error, abort). */
  statusCode: number | null;
  durationMs: number;
  /** Short and for people: "HTTP 500", "connection refused", "timed out after 15000 ms". */
  error: string | null;
  /** 2xx delivered; 410 gone (the receiver asks us to stop); anything else retries. */
  disposition: WebhookDisposition;
}

export interface PostWebhookInput {
  /** From resolveWebhookTarget: the request goes to its address, never to a new lookup. */
  target: WebhookTarget;
  /** The exact JSON text that was signed. */
  body: string;
  /** The signature headers and any others; content type, length, user agent and host are ours. */
  headers: Record<string, string>;
  /** Bounds the whole attempt: connecting, sending, the status and the body read. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

type Verdict = Omit<WebhookAttemptOutcome, 'durationMs'>;

const shorten = (text: string): string =>
  text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;

const failure = (error: string): Verdict => ({
  statusCode: null,
  error: shorten(error),
  disposition: 'retry',
});

function verdictOf(response: http.IncomingMessage): Verdict {
  const statusCode = response.statusCode ?? 0;
  if (statusCode >= 200 && statusCode < 300) {
    return { statusCode, error: null, disposition: 'delivered' };
  }
  if (statusCode === 410) return { statusCode, error: 'HTTP 410', disposition: 'gone' };
  if (statusCode >= 300 && statusCode < 400) {
    // A receiver that redirects could point us anywhere, past the address checks: never follow.
    const location = response.headers.location;
    const error =
      location === undefined
        ? `HTTP ${statusCode}: redirect not followed`
        : `HTTP ${statusCode}: redirect to ${location} not followed`;
    return { statusCode, error: shorten(error), disposition: 'retry' };
  }
  return { statusCode, error: `HTTP ${statusCode}`, disposition: 'retry' };
}

const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
};

function describeError(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  // Node's name for a connection closed before any response came.
  if (error.message === 'socket hang up') return 'connection closed without a response';
  if (code in CONNECTION_ERRORS) return CONNECTION_ERRORS[code];
  if (code.startsWith('HPE_')) return `invalid HTTP response (${code})`;
  if (code.startsWith('ERR_TLS_') || /CERT|SSL|TLS/.test(code)) {
    // Node 24 appends advice about --use-system-ca after a semicolon: not for our users.
    return `TLS: ${error.message.split('; ')[0]}`;
  }
  return code === '' ? error.message : `${code}: ${error.message}`;
}

/**
 * POSTs one webhook attempt to an address resolved and checked beforehand. The socket
 * connects to `target.address` (the lookup below hands it over, so DNS is not asked again
 * and cannot be rebound in between); the Host header and TLS server name stay the URL's
 * host, so virtual hosting and certificate checks work as for any client.
 */
export function postWebhook(input: PostWebhookInput): Promise<WebhookAttemptOutcome> {
  const { target, body, signal } = input;
  const timeoutMs = input.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const started = performance.now();
  const { url, address, family } = target;
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const secure = url.protocol === 'https:';

  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all === true) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;
  Object.assign(headers, {
    host: url.host,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': WEBHOOK_USER_AGENT,
  });
  const options: https.RequestOptions = {
    method: 'POST',
    hostname,
    port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
    path: `${url.pathname}${url.search}`,
    headers,
    lookup,
    // A fresh connection each time: a pooled socket may lead to an address checked earlier.
    agent: false,
    ...(secure && isIP(hostname) === 0 ? { servername: hostname } : {}),
  };

  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve({ ...failure('aborted'), durationMs: 0 });
    let answered: Verdict | undefined;
    let settled = false;
    // Built first, so that a request Node refuses outright (a bad header) leaves no timer behind.
    const request = (secure ? https : http).request(options, (response) => {
      const verdict = verdictOf(response);
      answered = verdict;
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= MAX_RESPONSE_BYTES) finish(verdict);
      });
      response.on('end', () => finish(verdict));
      response.on('error', () => finish(verdict));
      response.on('close', () => finish(verdict));
    });
    const finish = (verdict: Verdict): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      request.destroy();
      resolve({ ...verdict, durationMs: Math.round(performance.now() - started) });
    };
    // Once the status is in, it decides; a body cut short by the deadline changes nothing.
    const onAbort = (): void => finish(answered ?? failure('aborted'));
    const timer = setTimeout(
      () => finish(answered ?? failure(`timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => finish(answered ?? failure(describeError(error))));
    request.end(body);
  });
}
