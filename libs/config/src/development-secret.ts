import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where a development JWT secret is kept: in the embedded database's folder, beside its
 * cluster and credentials (libs/database, embedded-postgres.ts), so it lives and dies with them.
 */
export function developmentSecretPath(embeddedDatabaseDir: string): string {
  return join(embeddedDatabaseDir, 'jwt-secret');
}

/** A secret for this process alone: sessions and sealed replays end when it stops. */
export function perStartSecret(): string {
  return randomBytes(32).toString('base64url');
}

function errorCode(error: unknown): string {
  // Not `instanceof Error`: errors from Node's own modules fail it inside jest's sandbox.
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : 'failed';
}

/**
 * The secret kept at `path`, created (mode 0600) on first use, or a problem naming the path.
 * A new secret is written to a private temporary file and hard-linked into place, so two
 * processes starting at once (api and worker) agree on one secret and neither reads half a file.
 */
export function keptSecret(path: string): { secret: string } | { problem: string } {
  try {
    let text = readSecret(path);
    if (text === undefined) {
      // The folder's mode is the embedded database's business (it must stay traversable for
      // the postgres user when run as root); the file itself is 0600.
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(temporary, `${perStartSecret()}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(temporary, 0o600); // whatever the umask
      try {
        linkSync(temporary, path);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error;
      } finally {
        unlinkSync(temporary);
      }
      text = readSecret(path) ?? '';
    }
    if (text.length < 32) {
      return { problem: `${path} holds fewer than 32 characters; delete it or set JWT_SECRET` };
    }
    return { secret: text };
  } catch (error) {
    return {
      problem: `cannot keep a generated development secret at ${path} (${errorCode(error)}); set JWT_SECRET`,
    };
  }
}

function readSecret(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}
