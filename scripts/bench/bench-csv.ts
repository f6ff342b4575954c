/**
 * The CSV file of the ingest benchmarks: mixed types (integers, decimals, booleans,
 * dates, datetimes, text with quoted commas and doubled quotes), of any size.
 * `node -r ts-node/register/transpile-only scripts/bench/bench-csv.ts <path> <bytes>`
 * writes one (what {@link generateCsvInChildProcess} runs).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const HEADER = 'id,sensor,reading,ratio,ok,day,at,comment\n';
const SENSORS = ['alpha', 'beta', 'gamma, delta', 'epsilon "e"', 'zeta'];

function quoted(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function generateCsv(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  let written = 0;
  let row = 0;
  out.write(HEADER);
  while (written < bytes) {
    let chunk = '';
    for (let i = 0; i < 2000; i++, row++) {
      const at = new Date(1_700_000_000_000 + row * 37_000).toISOString();
      const comment = row % 7 === 0 ? '' : quoted(`note ${row % 997}, said "${row % 13}"`);
      chunk += `${row},${quoted(SENSORS[row % 5] ?? '')},${(row * 7919) % 100003},${(Math.sin(row) * 1000).toFixed(4)},${row % 3 === 0},${at.slice(0, 10)},${at},${comment}\n`;
    }
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * {@link generateCsv} in a process of its own, so the hundreds of MB of strings it makes
 * are never garbage to collect in the process that times the uploads.
 */
export async function generateCsvInChildProcess(path: string, bytes: number): Promise<void> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', __filename, path, String(bytes)],
    { stdio: 'inherit' },
  );
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`generating ${path} exited with ${String(code)}`);
}

if (require.main === module) {
  const [path, bytes] = process.argv.slice(2);
  if (path === undefined || bytes === undefined) {
    console.error('usage: bench-csv.ts <path> <bytes>');
    process.exit(2);
  }
  void generateCsv(path, Number(bytes));
}
