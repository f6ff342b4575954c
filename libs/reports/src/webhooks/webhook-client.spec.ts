import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { resolveWebhookTarget, type WebhookTarget } from './webhook-address';
import { postWebhook } from './webhook-client';
import { newWebhookSecret, signWebhook } from './webhook-secret';

/** A name no real resolver knows (RFC 2606): a request only reaches us through our lookup. */
const HOST = 'hooks.example.test';
const open = { allowPrivateNetworks: true, allowHttp: true };

interface Hit {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (response: ServerResponse, request: IncomingMessage) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});

/** A local server on a free port that records each request, then lets `handle` answer. */
async function listen(
  handle: Handler,
  server: Server = createServer(),
): Promise<{ port: number; hits: Hit[] }> {
  const hits: Hit[] = [];
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { method = '', url = '', headers } = request;
      hits.push({ method, url, headers, body: Buffer.concat(chunks).toString('utf8') });
      handle(response, request);
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { port: (server.address() as AddressInfo).port, hits };
}

/** Resolves the URL through a lookup that answers 127.0.0.1 for HOST and counts its calls. */
async function targetOf(url: string): Promise<{ target: WebhookTarget; lookups: string[] }> {
  const lookups: string[] = [];
  const lookup = (hostname: string) => {
    lookups.push(hostname);
    return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
  };
  return { target: await resolveWebhookTarget(url, open, lookup), lookups };
}

const answer =
  (status: number, headers: Record<string, string> = {}): Handler =>
  (response) =>
    response.writeHead(status, headers).end('{"ok":true}');

async function post(port: number, options?: { timeoutMs?: number; signal?: AbortSignal }) {
  const { target, lookups } = await targetOf(`http://${HOST}:${port}/hooks/in?team=7`);
  const outcome = await postWebhook({ target, body: '{"a":1}', headers: {}, ...options });
  return { outcome, lookups };
}

describe('postWebhook', () => {
  it('delivers a signed POST to the resolved address, with one lookup and the URL’s host', async () => {
    const { port, hits } = await listen(answer(204));
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'report.completed', data: { reportId: 'r_1' } });
    const signature = signWebhook({
      id: 'msg_1',
      timestamp: Math.floor(Date.now() / 1000),
      body,
      secrets: [secret],
    });
    const { target, lookups } = await targetOf(`http://${HOST}:${port}/hooks/in?team=7`);

    const outcome = await postWebhook({
      target,
      body,
      headers: { ...signature, 'Content-Type': 'text/plain' },
    });

    expect(outcome).toEqual({
      statusCode: 204,
      durationMs: expect.any(Number),
      error: null,
      disposition: 'delivered',
    });
    expect(lookups).toEqual([HOST]);
    expect(hits).toHaveLength(1);
    const [hit] = hits;
    expect(hit).toMatchObject({ method: 'POST', url: '/hooks/in?team=7', body });
    expect(hit.headers).toMatchObject({
      host: `${HOST}:${port}`,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'Sightline-Webhooks/1',
    });
    expect(new Webhook(secret).verify(hit.body, hit.headers as Record<string, string>)).toEqual(
      JSON.parse(body),
    );
  });

  it.each([
    [500, 'retry', 'HTTP 500'],
    [429, 'retry', 'HTTP 429'],
    [404, 'retry', 'HTTP 404'],
    [410, 'gone', 'HTTP 410'],
    [200, 'delivered', null],
  ])('maps HTTP %i to %s', async (status, disposition, error) => {
    const { port } = await listen(answer(status));
    const { outcome, lookups } = await post(port);
    expect(outcome).toMatchObject({ statusCode: status, disposition, error });
    expect(lookups).toHaveLength(1);
  });

  it('never follows a redirect', async () => {
    const elsewhere = await listen(answer(200));
    const location = `http://127.0.0.1:${elsewhere.port}/elsewhere`;
    const { port, hits } = await listen(answer(302, { location }));
    const { outcome } = await post(port);
    expect(outcome).toMatchObject({
      statusCode: 302,
      disposition: 'retry',
      error: `HTTP 302: redirect to ${location} not followed`,
    });
    expect(hits).toHaveLength(1);
    expect(elsewhere.hits).toHaveLength(0);
  });

  it('gives up on a server that never answers within the bound', async () => {
    const { port, hits } = await listen(() => undefined);
    const { outcome } = await post(port, { timeoutMs: 300 });
    expect(outcome).toMatchObject({
      statusCode: null,
      disposition: 'retry',
      error: 'timed out after 300 ms',
    });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(295);
    expect(outcome.durationMs).toBeLessThan(1_000);
    expect(hits).toHaveLength(1);
  });

  it('stops reading a huge body after 64 KiB', async () => {
    let finished = false;
    const { port } = await listen((response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const pump = (): void => {
        while (sent < 64 * 1024 * 1024 && !response.destroyed) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        if (!response.destroyed) response.end(() => (finished = true));
      };
      pump();
    });
    const { outcome } = await post(port, { timeoutMs: 5_000 });
    expect(outcome).toMatchObject({ statusCode: 200, disposition: 'delivered', error: null });
    expect(outcome.durationMs).toBeLessThan(2_000);
    expect(finished).toBe(false);
  });

  it('is not held by a slow body past its bound, and keeps the status it got', async () => {
    let closed = false;
    const { port } = await listen((response) => {
      response.writeHead(200).flushHeaders();
      const drip = setInterval(() => response.write('.'), 20);
      response.on('close', () => {
        clearInterval(drip);
        closed = true;
      });
    });
    const { outcome } = await post(port, { timeoutMs: 400 });
    expect(outcome).toMatchObject({ statusCode: 200, disposition: 'delivered', error: null });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(395);
    expect(outcome.durationMs).toBeLessThan(1_500);
    await new Promise((done) => setTimeout(done, 50));
    expect(closed).toBe(true);
  });

  it('says so when the connection is refused', async () => {
    const { port } = await listen(answer(200));
    const closing = servers.pop() as Server;
    await new Promise((done) => closing.close(done));
    const { outcome } = await post(port);
    expect(outcome).toMatchObject({
      statusCode: null,
      disposition: 'retry',
      error: 'connection refused',
    });
  });

  it('says so when the server drops the connection without answering', async () => {
    const { port } = await listen((_, request) => request.socket.destroy());
    const { outcome } = await post(port);
    expect(outcome).toMatchObject({
      statusCode: null,
      disposition: 'retry',
      error: 'connection closed without a response',
    });
  });

  it('stops when its signal aborts, and does not start when it already has', async () => {
    const { port, hits } = await listen(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { outcome } = await post(port, { timeoutMs: 5_000, signal: controller.signal });
    expect(outcome).toMatchObject({ statusCode: null, disposition: 'retry', error: 'aborted' });
    expect(outcome.durationMs).toBeLessThan(2_000);
    const again = await post(port, { signal: controller.signal });
    expect(again.outcome).toMatchObject({ error: 'aborted', durationMs: 0 });
    expect(hits).toHaveLength(1);
  });

  it('sends the URL’s host as the TLS server name and checks the certificate', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'webhook-tls-'));
    try {
      const [key, cert] = [join(folder, 'key.pem'), join(folder, 'cert.pem')];
      const request = 'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1';
      const names = [`/CN=${HOST}`, `subjectAltName=DNS:${HOST}`];
      execFileSync(
        'openssl',
        [
          ...request.split(' '),
          '-keyout',
          key,
          '-out',
          cert,
          '-subj',
          names[0],
          '-addext',
          names[1],
        ],
        { stdio: 'ignore' },
      );
      const asked: string[] = [];
      const server = createTlsServer({
        key: readFileSync(key),
        cert: readFileSync(cert),
        // Records the name the client asked for, then goes on with the default certificate.
        SNICallback: (name, done) => {
          asked.push(name);
          done(null);
        },
      });
      const { port, hits } = await listen(answer(200), server);
      const { target } = await targetOf(`https://${HOST}:${port}/hooks`);
      const outcome = await postWebhook({ target, body: '{}', headers: {} });
      expect(outcome).toMatchObject({
        statusCode: null,
        disposition: 'retry',
        error: 'TLS: self-signed certificate',
      });
      expect(hits).toHaveLength(0);
      expect(asked).toEqual([HOST]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
