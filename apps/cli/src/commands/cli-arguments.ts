import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import { type Role, ROLES } from '@app/access';
import { parseArgs } from 'node:util';
import type { CreateApiKeyOptions } from './create-api-key.command';

export type CliCommand =
  | { name: 'help' }
  | ({ name: 'create-api-key' } & CreateApiKeyOptions)
  | { name: 'create-organization'; organizationName: string }
  | { name: 'upgrade-job-queue' };

/** Arguments that do not form a command; the CLI answers with the usage and exit code 2. */
export class UsageError extends Error {}

export const USAGE = `Usage: sightline-cli <command> [options]

Commands:
  create-api-key --role <${ROLES.join('|')}> [--organization <uuid>] [--name <label>] [--expires-at <ISO-8601>]
      Issues an API key for the organization (default: the oldest one, created if
      there is none).
  create-organization --name <name>
      Creates an organization and its first admin API key.
  upgrade-job-queue
      Moves a job queue written by pg-boss 10 (Sightline before pg-boss 12) to the new
      schema, keeping its queued jobs. Stop every api and worker process first.

Options:
  -h, --help  Shows this help.

A created key is printed alone on the last line of standard output, once: store it.
Configuration comes from the environment, as for the services (DATABASE_URL, or the
embedded PostgreSQL when it is unset).
`;

// Same limit as the HTTP API's CreateApiKeyDto.
const KEY_NAME_MAX_LENGTH = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const OPTIONS = {
  role: { type: 'string' },
  organization: { type: 'string' },
  name: { type: 'string' },
  'expires-at': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;
type Values = Partial<Record<OptionName, string | boolean>>;

function parse(argv: string[]): { positionals: string[]; values: Values } {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function onlyOptions(command: string, values: Values, allowed: OptionName[]): void {
  const extra = Object.keys(values).filter((option) => !allowed.includes(option as OptionName));
  if (extra.length > 0)
    throw new UsageError(`${command} does not take ${extra.map((o) => `--${o}`).join(', ')}`);
}

function text(values: Values, option: OptionName): string | undefined {
  const value = values[option];
  return typeof value === 'string' ? value : undefined;
}

function requiredName(values: Values, command: string): string {
  const name = text(values, 'name')?.trim();
  if (name === undefined || name === '') throw new UsageError(`${command} needs --name <name>`);
  return name;
}

function parseRole(value: string | undefined): Role {
  const role = ROLES.find((candidate) => candidate === value);
  if (role === undefined)
    throw new UsageError(
      value === undefined
        ? 'create-api-key needs --role <role>'
        : `--role must be one of ${ROLES.join(', ')}, not "${value}"`,
    );
  return role;
}

function parseOrganization(value: string | undefined): OrganizationId | undefined {
  if (value === undefined) return undefined;
  if (!UUID.test(value)) throw new UsageError(`--organization must be a UUID, not "${value}"`);
  return organizationIdOf(value.toLowerCase());
}

function parseKeyName(value: string | undefined, role: Role): string {
  if (value === undefined) return `cli ${role} key`;
  const name = value.trim();
  if (name === '' || name.length > KEY_NAME_MAX_LENGTH)
    throw new UsageError(`--name must be 1 to ${KEY_NAME_MAX_LENGTH} characters`);
  return name;
}

function parseExpiresAt(value: string | undefined, now: Date): Date | null {
  if (value === undefined) return null;
  const expiresAt = new Date(value);
  if (!ISO_8601.test(value) || Number.isNaN(expiresAt.getTime()))
    throw new UsageError(`--expires-at must be an ISO-8601 date, not "${value}"`);
  if (expiresAt.getTime() <= now.getTime())
    throw new UsageError('--expires-at must be in the future');
  return expiresAt;
}

/** Reads the command line (without `node` and the script); throws {@link UsageError} when it is not a command. */
export function parseCliArguments(argv: string[], now = new Date()): CliCommand {
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return { name: 'help' };
  const { positionals, values } = parse(argv);
  const [command, ...extra] = positionals;
  if (command === undefined) throw new UsageError('no command given');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra.join(' ')}"`);
  switch (command) {
    case 'create-api-key': {
      onlyOptions(command, values, ['role', 'organization', 'name', 'expires-at']);
      const role = parseRole(text(values, 'role'));
      return {
        name: command,
        role,
        organizationId: parseOrganization(text(values, 'organization')),
        keyName: parseKeyName(text(values, 'name'), role),
        expiresAt: parseExpiresAt(text(values, 'expires-at'), now),
      };
    }
    case 'create-organization':
      onlyOptions(command, values, ['name']);
      return { name: command, organizationName: requiredName(values, command) };
    case 'upgrade-job-queue':
      onlyOptions(command, values, []);
      return { name: command };
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}
