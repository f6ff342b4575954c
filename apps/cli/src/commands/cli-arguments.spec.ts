import { parseCliArguments, UsageError } from './cli-arguments';

const NOW = new Date('2026-01-01T00:00:00Z');
const ORGANIZATION = '0b4c9a1e-5d2f-4c3b-9a8e-7f6d5c4b3a21';

function usageErrorOf(argv: string[]): string {
  try {
    parseCliArguments(argv, NOW);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`${argv.join(' ')} parsed`);
}

describe('parseCliArguments', () => {
  it('reads create-api-key with every option', () => {
    expect(
      parseCliArguments(
        [
          'create-api-key',
          '--role',
          'viewer',
          '--organization',
          ORGANIZATION.toUpperCase(),
          '--name',
          ' dashboards ',
          '--expires-at',
          '2026-06-01T12:00:00Z',
        ],
        NOW,
      ),
    ).toEqual({
      name: 'create-api-key',
      role: 'viewer',
      organizationId: ORGANIZATION,
      keyName: 'dashboards',
      expiresAt: new Date('2026-06-01T12:00:00Z'),
    });
  });

  it('defaults create-api-key to the oldest organization, a name from the role and no expiry', () => {
    expect(parseCliArguments(['create-api-key', '--role=service'], NOW)).toEqual({
      name: 'create-api-key',
      role: 'service',
      organizationId: undefined,
      keyName: 'cli service key',
      expiresAt: null,
    });
  });

  it('reads create-organization', () => {
    expect(parseCliArguments(['create-organization', '--name', 'Acme'], NOW)).toEqual({
      name: 'create-organization',
      organizationName: 'Acme',
    });
  });

  it('reads upgrade-job-queue', () => {
    expect(parseCliArguments(['upgrade-job-queue'], NOW)).toEqual({ name: 'upgrade-job-queue' });
  });

  it.each([['--help'], ['-h'], ['help'], ['create-api-key', '--role', 'nope', '--help']])(
    'answers %s with help',
    (...argv) => {
      expect(parseCliArguments(argv, NOW)).toEqual({ name: 'help' });
    },
  );

  it.each([
    [[], /no command/],
    [['rotate-everything'], /unknown command "rotate-everything"/],
    [['create-api-key'], /needs --role/],
    [
      ['create-api-key', '--role', 'owner'],
      /--role must be one of admin, analyst, viewer, service/,
    ],
    [['create-api-key', '--role', 'admin', '--organization', 'acme'], /must be a UUID/],
    [['create-api-key', '--role', 'admin', '--name', '  '], /--name must be 1 to 100/],
    [['create-api-key', '--role', 'admin', '--name', 'x'.repeat(101)], /--name must be 1 to 100/],
    [['create-api-key', '--role', 'admin', '--expires-at', 'tomorrow'], /ISO-8601/],
    [['create-api-key', '--role', 'admin', '--expires-at', '2025-12-31'], /in the future/],
    [['create-api-key', '--role', 'admin', '--force'], /Unknown option '--force'/],
    [['create-api-key', '--role', 'admin', 'extra'], /unexpected argument "extra"/],
    [['create-organization'], /needs --name/],
    [['create-organization', '--name', 'Acme', '--role', 'admin'], /does not take --role/],
    [['upgrade-job-queue', '--name', 'x'], /does not take --name/],
  ])('refuses %j', (argv, message) => {
    expect(usageErrorOf(argv)).toMatch(message);
  });
});
