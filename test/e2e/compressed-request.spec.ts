import { constants, createGzip } from 'node:zlib';
import { Factory } from '../support/factory';
import { storedDatasets } from '../support/datasets';
import { startTestApp, type TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json';
const EXPANDED_BYTES = 200 * 1024 ** 2;

/** A gzip member of `prefix`, then `fill` repeated to `size` bytes, then `suffix` (~200 KB for 200 MB). */
async function gzipBomb(prefix: string, fill: string, size: number, suffix = ''): Promise<Buffer> {
  const gzip = createGzip({ level: constants.Z_BEST_COMPRESSION });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise((resolve) => gzip.on('end', resolve));
  const block = Buffer.alloc(1024 ** 2, fill);
  gzip.write(prefix);
  for (let written = 0; written < size; written += block.length) {
    if (!gzip.write(block)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end(suffix);
  await finished;
  return Buffer.concat(chunks);
}

/** The largest resident set seen while `run` runs (sampled every 10 ms). */
async function peakRss<T>(run: () => Promise<T>): Promise<{ result: T; growthBytes: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const result = await run();
    return { result, growthBytes: Math.max(peak, process.memoryUsage().rss) - before };
  } finally {
    clearInterval(timer);
  }
}

describe('compressed request bodies', () => {
  let app: TestApp;
  let key: string;
  let jsonBomb: Buffer;
  let csvBomb: Buffer;

  beforeAll(async () => {
    app = await startTestApp({ env: { DATASET_MAX_BYTES: String(4 * 1024 ** 2) } });
    key = (await new Factory(app.app).newOrganization()).adminKey;
    jsonBomb = await gzipBomb('{"name":"', 'a', EXPANDED_BYTES, '","value":1}');
    csvBomb = await gzipBomb('a,b\n', `${'x'.repeat(1020)},2\n`, EXPANDED_BYTES);
  }, 60_000);
  afterAll(async () => {
    await app.close();
  });

  async function post(path: string, contentType: string, body: Buffer) {
    const started = Date.now();
    const response = await fetch(`${app.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': contentType, 'content-encoding': 'gzip' },
      body,
    });
    return { response, text: await response.text(), ms: Date.now() - started };
  }

  it('answers a JSON gzip bomb with 413 problem+json within a second, memory flat', async () => {
    expect(jsonBomb.length).toBeLessThan(300 * 1024);
    const { result, growthBytes } = await peakRss(() =>
      post('/v1/metrics', 'application/json', jsonBomb),
    );
    expect(result.response.status).toBe(413);
    expect(result.response.headers.get('content-type')).toContain(PROBLEM);
    expect(JSON.parse(result.text)).toMatchObject({ type: '/problems/payload-too-large' });
    // The bound is 1 s; 3 s keeps a loaded 2-core machine from flaking, far below
    // the time decompressing and parsing 200 MB of JSON would take.
    expect(result.ms).toBeLessThan(3000);
    expect(growthBytes).toBeLessThan(64 * 1024 ** 2);
  });

  it('caps a gzip CSV upload at DATASET_MAX_BYTES decompressed and stores nothing', async () => {
    const { result, growthBytes } = await peakRss(() => post('/v1/datasets', 'text/csv', csvBomb));
    expect(result.response.status).toBe(413);
    expect(result.response.headers.get('content-type')).toContain(PROBLEM);
    expect(JSON.parse(result.text)).toMatchObject({ type: '/problems/csv-too-large' });
    // The first 4 MiB are loaded (COPY) before the cap is reached: slower than a JSON refusal.
    expect(result.ms).toBeLessThan(15_000);
    // Below the 200 MB a buffered body would take (the profile thread starts here too).
    expect(growthBytes).toBeLessThan(128 * 1024 ** 2);
    expect(await storedDatasets(app)).toEqual({ tables: [], datasets: 0 });
  });

  it('stores a small gzip CSV upload as its decompressed text', async () => {
    const small = await gzipBomb('a,b\n', '', 0, '1,2\n3,4\n');
    const { response, text } = await post('/v1/datasets', 'text/csv', small);
    expect(response.status).toBe(201);
    expect(JSON.parse(text)).toMatchObject({ rowCount: 2 });
  });

  it('refuses a compressed multipart upload, which is parsed from the raw bytes', async () => {
    const form = Buffer.from(
      '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n' +
        'Content-Type: text/csv\r\n\r\na,b\n1,2\n\r\n--x--\r\n',
    );
    const gzip = await gzipBomb(form.toString('latin1'), '', 0);
    const { response, text } = await post('/v1/datasets', 'multipart/form-data; boundary=x', gzip);
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toContain(PROBLEM);
    expect(JSON.parse(text)).toMatchObject({ type: '/problems/unsupported-content-encoding' });
  });

  it('refuses an encoding it cannot decode with 415 problem+json', async () => {
    const response = await fetch(`${app.baseUrl}/v1/metrics`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'content-encoding': 'lz4' },
      body: '{}',
    });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toContain(PROBLEM);
    expect(await response.json()).toMatchObject({ type: '/problems/unsupported-content-encoding' });
  });
});
