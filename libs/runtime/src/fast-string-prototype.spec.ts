import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * V8's own answer, from a child process with natives syntax on: is String.prototype in
 * fast mode after loading the Redis client, and after restoreFastStringPrototype()?
 */
function stringPrototypeModes(): { afterRedis: boolean; afterRestore: boolean } {
  const script = `
    const fast = () => eval('%HasFastProperties(String.prototype)');
    require('@redis/client');
    const afterRedis = fast();
    require(${JSON.stringify(join(__dirname, 'fast-string-prototype.ts'))}).restoreFastStringPrototype();
    process.stdout.write(JSON.stringify({ afterRedis, afterRestore: fast() }));
  `;
  const output = execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '-r', 'ts-node/register/transpile-only', '-e', script],
    { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8' },
  );
  return JSON.parse(output) as { afterRedis: boolean; afterRestore: boolean };
}

describe('restoreFastStringPrototype', () => {
  it('undoes the dictionary mode that a String subclass leaves String.prototype in', () => {
    const modes = stringPrototypeModes();
    // When a Redis client upgrade no longer slows it down, this fails: the workaround can go.
    expect(modes).toEqual({ afterRedis: false, afterRestore: true });
  });
});
