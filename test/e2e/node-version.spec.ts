import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Each built app started by hand on an older Node. The bundle itself is what runs: a
 * preload only makes this Node report itself as 20.20.2, the way the real one would.
 */
describe('a built app started on an unsupported Node', () => {
  let dir: string;
  let preload: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-old-node-'));
    preload = join(dir, 'pretend-node-20.js');
    writeFileSync(
      preload,
      "Object.defineProperty(process, 'version', { value: 'v20.20.2' });\n" +
        "Object.defineProperty(process.versions, 'node', { value: '20.20.2' });\n",
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['api', 'worker', 'cli'])(
    '%s stops at once, naming the version it needs, before anything else runs',
    async (app) => {
      const child = spawn(
        process.execPath,
        ['--require', preload, join(ROOT, 'dist', 'apps', app, 'main.js')],
        // No database, no configuration: an app that got past the check would say so.
        { cwd: dir, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `Sightline needs Node.js >=24.11.0 (the 24 LTS line); this is Node.js v20.20.2 (${process.execPath}).\n` +
          'Start it through npm (npm start, npm run start:worker, npm run cli), which runs the ' +
          'Node.js that package.json pins, or install Node.js 24.\n',
      );
    },
  );
});
