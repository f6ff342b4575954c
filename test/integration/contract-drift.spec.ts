import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase } from '../support/test-database';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const bin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);
// Each tool runs on this test's own Node (the pinned one), not whichever `node` a shebang finds.
const runTool = (
  name: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; maxBuffer?: number },
) => run(process.execPath, [bin(name), ...args], { ...options, encoding: 'utf8' });

// Generating plugin metadata type-checks the whole API: allow it time on a 2-core machine.
jest.setTimeout(120_000);

describe('committed contracts match the code', () => {
  it('openapi.json, the client types and the swagger plugin metadata are up to date', async () => {
    const { stdout } = await runTool('ts-node', ['scripts/openapi.ts', '--check'], { cwd: ROOT });
    expect(stdout).toContain('match the code');
  });

  it('the entities need no schema change that a migration does not make', async () => {
    const database = await createTestDatabase();
    try {
      const { stdout } = await runTool('ts-node', ['scripts/migration.ts', 'check'], {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url },
      });
      expect(stdout).toContain('no schema drift');
    } finally {
      await database.drop();
    }
  });
});

describe('the committed OpenAPI document', () => {
  it("lints clean with Redocly's recommended rules", async () => {
    const { stdout, stderr } = await runTool(
      'redocly',
      ['lint', '--format=stylish', 'openapi.json'],
      {
        cwd: ROOT,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    expect(`${stdout}${stderr}`).toMatch(/valid/i);
    expect(`${stdout}${stderr}`).not.toMatch(/You have \d+ warnings?/);
  });

  it("has no error under Spectral's oas and OWASP API Top 10 (2023) rules (.spectral.yaml)", async () => {
    // Spectral exits 1 when it finds errors; its JSON report is on stdout either way.
    const result = await runTool('spectral', ['lint', '--format=json', '--quiet', 'openapi.json'], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const findings = JSON.parse(result.stdout) as Array<{
      code: string;
      severity: number;
      path: string[];
    }>;
    const errors = findings
      .filter((finding) => finding.severity === 0)
      .map((finding) => `${finding.code} at ${finding.path.join('.')}`);
    expect(errors).toEqual([]);
  });
});
