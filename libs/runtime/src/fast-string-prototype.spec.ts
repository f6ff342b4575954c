import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * V8's own answer, from a child process with natives syntax on: is String.prototype in
 * fast mode after a module declares a String subclass, and after
 * restoreFastStringPrototype()? (The Redis client that did, @redis/client, is gone; the
 * current one, ioredis, declares one and makes String.prototype fast again itself.)
 */
function stringPrototypeModes(): { afterSubclass: boolean; afterRestore: boolean } {
  const script = `
    const fast = () => eval('%HasFastProperties(String.prototype)');
    class Verbatim extends String {}
    new Verbatim('x');
    const afterSubclass = fast();
    require(${JSON.stringify(join(__dirname, 'fast-string-prototype.ts'))}).restoreFastStringPrototype();
    process.stdout.write(JSON.stringify({ afterSubclass, afterRestore: fast() }));
  `;
  const output = execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '-r', 'ts-node/register/transpile-only', '-e', script],
    { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8' },
  );
  return JSON.parse(output) as { afterSubclass: boolean; afterRestore: boolean };
}

describe('restoreFastStringPrototype', () => {
  it('undoes the dictionary mode that a String subclass leaves String.prototype in', () => {
    const modes = stringPrototypeModes();
    // When V8 no longer leaves it slow, this fails: the workaround can go.
    expect(modes).toEqual({ afterSubclass: false, afterRestore: true });
  });
});
