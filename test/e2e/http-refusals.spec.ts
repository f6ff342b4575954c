import type { ProblemDetails } from '@app/common';
import { connect } from 'node:net';
import { ProbeModule } from '../support/probe.module';
import { startTestApp, type TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes exactly as given over a fresh TCP connection and reads the answer to the
 * end: the requests here are ones `fetch` refuses to send (bad syntax, huge heads).
 */
function rawRequest(baseUrl: string, request: string): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The server may close before it read all of a refused request: a reset after the
    // answer arrived is still an answer.
    socket.on('error', (error) => (chunks.length === 0 ? reject(error) : undefined));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no HTTP response: ${JSON.stringify(text)}`));
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({
        status: Number(statusLine?.split(' ')[1]),
        headers,
        body: text.slice(split + 4),
      });
    });
    socket.write(request);
  });
}

function get(path: string, extraHeaders = ''): string {
  return `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${extraHeaders}\r\n`;
}

/** Asserts a problem+json answer whose requestId is the one in `X-Request-Id`. */
function expectProblem(response: RawResponse, status: number, type: string): ProblemDetails {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toContain(PROBLEM);
  const body = JSON.parse(response.body) as ProblemDetails;
  expect(body).toMatchObject({ type, status });
  expect(body.title).toEqual(expect.any(String));
  expect(body.detail).toEqual(expect.any(String));
  expect(body.requestId).toEqual(expect.any(String));
  expect(body.requestId).toBe(response.headers['x-request-id']);
  expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.body));
  return body;
}

describe("Node's and Fastify's own refusals are problem+json", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ imports: [ProbeModule], env: { BODY_LIMIT_BYTES: '2048' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers a URL over 8 KiB with 414 uri-too-long, echoing at most 1 KiB of it', async () => {
    const response = await rawRequest(app.baseUrl, get(`/v1/datasets?q=${'a'.repeat(9000)}`));
    const body = expectProblem(response, 414, '/problems/uri-too-long');
    expect(body.detail).toMatch(/8192/);
    expect(response.body.length).toBeLessThan(1500);
  });

  it('answers a path parameter over the router limit with 414 uri-too-long', async () => {
    const response = await rawRequest(app.baseUrl, get(`/v1/datasets/${'a'.repeat(300)}`));
    const body = expectProblem(response, 414, '/problems/uri-too-long');
    expect(body.detail).toMatch(/200 characters/);
  });

  it('answers a badly percent-encoded path with 400 bad-request', async () => {
    const response = await rawRequest(app.baseUrl, get('/v1/datasets/%E0%A4%A'));
    const body = expectProblem(response, 400, '/problems/bad-request');
    expect(body.detail).toMatch(/percent-encoding/);
  });

  it('keeps a client-sent X-Request-Id on a router refusal', async () => {
    const response = await rawRequest(
      app.baseUrl,
      get('/v1/datasets/%E0%A4%A', 'X-Request-Id: my-trace-1\r\n'),
    );
    expect(expectProblem(response, 400, '/problems/bad-request').requestId).toBe('my-trace-1');
  });

  it('answers header fields over 16 KiB with 431 headers-too-large', async () => {
    const response = await rawRequest(
      app.baseUrl,
      get('/health/live', `X-Pad: ${'p'.repeat(20_000)}\r\n`),
    );
    const body = expectProblem(response, 431, '/problems/headers-too-large');
    expect(body.detail).toMatch(/16384 bytes/);
    expect(response.headers.connection).toBe('close');
  });

  it('answers a malformed header line before routing with 400 bad-request', async () => {
    const response = await rawRequest(
      app.baseUrl,
      'GET /health/live HTTP/1.1\r\nHost: localhost\r\nNot a header\r\n\r\n',
    );
    expectProblem(response, 400, '/problems/bad-request');
    const logged = app.logs.find((line) => line.requestId === JSON.parse(response.body).requestId);
    expect(logged).toMatchObject({ code: 'HPE_INVALID_HEADER_TOKEN' });
  });

  it('answers a request that is not HTTP at all with 400 bad-request', async () => {
    const response = await rawRequest(app.baseUrl, 'HELLO THERE\r\n\r\n');
    expectProblem(response, 400, '/problems/bad-request');
  });

  it('answers a request with both Content-Length and chunked encoding with 400', async () => {
    const response = await rawRequest(
      app.baseUrl,
      'POST /v1/probe/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        'Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
    );
    expectProblem(response, 400, '/problems/bad-request');
  });

  it('answers invalid and empty JSON bodies with 400 bad-request', async () => {
    const post = (body: string) =>
      rawRequest(
        app.baseUrl,
        `POST /v1/probe/echo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
    expectProblem(await post('{"title": '), 400, '/problems/bad-request');
    expectProblem(await post(''), 400, '/problems/bad-request');
    expectProblem(await post('{"__proto__": {"admin": true}}'), 400, '/problems/bad-request');
  });

  it('answers an unsupported content type and an oversized body as problems', async () => {
    const unsupported = await rawRequest(
      app.baseUrl,
      'POST /v1/probe/echo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n' +
        'Content-Type: application/xml\r\nContent-Length: 4\r\n\r\n<a/>',
    );
    expectProblem(unsupported, 415, '/problems/unsupported-media-type');
    const tooLarge = await rawRequest(
      app.baseUrl,
      'POST /v1/probe/echo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n' +
        `Content-Type: application/json\r\nContent-Length: 4096\r\n\r\n{"title":"${'x'.repeat(4084)}"}`,
    );
    expectProblem(tooLarge, 413, '/problems/payload-too-large');
  });
});
