import { organizationIdOf } from '@app/tenancy';
import { type Principal, Public } from '@app/access';
import { ProblemException } from '@app/common';
import { type AppConfig, loadConfig } from '@app/config';
import { type ExecutionContext, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { RateLimitClass } from './rate-limit-class';
import { RateLimitGuard } from './rate-limit.guard';
import { rateLimitOptions } from './rate-limit.module';

class Routes {
  me(): void {}

  @RateLimitClass('expensive')
  analyse(): void {}

  @Public()
  @RateLimitClass('login')
  login(): void {}

  @Public()
  @RateLimitClass('refresh')
  refresh(): void {}

  @Public()
  live(): void {}
}

interface FakeReply {
  headers: Record<string, string>;
  header(name: string, value: string): FakeReply;
}

interface Call {
  context: ExecutionContext;
  reply: FakeReply;
}

function call(
  handler: keyof Routes,
  options: { user?: Principal; ip?: string; type?: string } = {},
): Call {
  const reply: FakeReply = {
    headers: {},
    header(name, value) {
      this.headers[name] = value;
      return this;
    },
  };
  const request = { user: options.user, ip: options.ip ?? '203.0.113.9' };
  const context = {
    getType: () => options.type ?? 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
  return { context, reply };
}

function principal(role: Principal['role'], id = 'key-1'): Principal {
  return { kind: 'apiKey', id, organizationId: organizationIdOf('org-1'), role };
}

async function makeGuard(
  env: Record<string, string> = {},
  storage: ThrottlerStorage = new ThrottlerStorageService(),
): Promise<RateLimitGuard> {
  const config: AppConfig = loadConfig({
    NODE_ENV: 'test',
    RATE_LIMIT_DEFAULT_LIMIT: '3',
    RATE_LIMIT_EXPENSIVE_LIMIT: '2',
    RATE_LIMIT_LOGIN_LIMIT: '2',
    ...env,
  });
  const guard = new RateLimitGuard(rateLimitOptions(config), storage, new Reflector(), config);
  await guard.onModuleInit();
  return guard;
}

async function refusal(guard: RateLimitGuard, context: ExecutionContext): Promise<unknown> {
  return guard.canActivate(context).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('RateLimitGuard', () => {
  const viewer = principal('viewer');

  it('counts a caller down through its budget, then refuses with a 429 problem', async () => {
    const guard = await makeGuard();
    for (const remaining of ['2', '1', '0']) {
      const { context, reply } = call('me', { user: viewer });
      await expect(guard.canActivate(context)).resolves.toBe(true);
      expect(reply.headers).toMatchObject({
        'RateLimit-Limit': '3',
        'RateLimit-Remaining': remaining,
      });
      expect(Number(reply.headers['RateLimit-Reset'])).toBeGreaterThanOrEqual(1);
      expect(Number(reply.headers['RateLimit-Reset'])).toBeLessThanOrEqual(60);
      expect(reply.headers['Retry-After']).toBeUndefined();
    }
    const { context, reply } = call('me', { user: viewer });
    const error = await refusal(guard, context);
    expect(error).toBeInstanceOf(ProblemException);
    expect((error as ProblemException).getStatus()).toBe(429);
    expect((error as ProblemException).slug).toBe('rate-limited');
    expect((error as ProblemException).message).toMatch(/default class.*retry in \d+ s/);
    expect(reply.headers['RateLimit-Remaining']).toBe('0');
    expect(Number(reply.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(reply.headers['Retry-After']).toBe(reply.headers['RateLimit-Reset']);
    expect(Object.keys(reply.headers).some((name) => name.startsWith('X-RateLimit'))).toBe(false);
  });

  it('gives every principal its own budget, whatever IP they share', async () => {
    const guard = await makeGuard();
    for (let i = 0; i < 3; i++) await guard.canActivate(call('me', { user: viewer }).context);
    const other = call('me', { user: principal('viewer', 'key-2') });
    await expect(guard.canActivate(other.context)).resolves.toBe(true);
    expect(other.reply.headers['RateLimit-Remaining']).toBe('2');
  });

  it('keys anonymous callers on their IP', async () => {
    const guard = await makeGuard();
    await guard.canActivate(call('me', { ip: '198.51.100.1' }).context);
    const same = call('me', { ip: '198.51.100.1' });
    await guard.canActivate(same.context);
    expect(same.reply.headers['RateLimit-Remaining']).toBe('1');
    const other = call('me', { ip: '198.51.100.2' });
    await guard.canActivate(other.context);
    expect(other.reply.headers['RateLimit-Remaining']).toBe('2');
  });

  it('counts a route against its own class only', async () => {
    const guard = await makeGuard();
    const expensive = call('analyse', { user: viewer });
    await guard.canActivate(expensive.context);
    expect(expensive.reply.headers).toMatchObject({
      'RateLimit-Limit': '2',
      'RateLimit-Remaining': '1',
    });
    await guard.canActivate(call('analyse', { user: viewer }).context);
    expect(await refusal(guard, call('analyse', { user: viewer }).context)).toBeInstanceOf(
      ProblemException,
    );
    // The default budget was not touched by the expensive route.
    const cheap = call('me', { user: viewer });
    await expect(guard.canActivate(cheap.context)).resolves.toBe(true);
    expect(cheap.reply.headers['RateLimit-Remaining']).toBe('2');
  });

  it('limits login attempts per IP although the route is public', async () => {
    const guard = await makeGuard();
    await guard.canActivate(call('login', { ip: '198.51.100.7' }).context);
    // Presenting a principal does not buy a fresh login budget.
    await guard.canActivate(call('login', { ip: '198.51.100.7', user: viewer }).context);
    const third = call('login', { ip: '198.51.100.7' });
    const error = await refusal(guard, third.context);
    expect((error as ProblemException).message).toMatch(/login class \(2 requests per 900 s\)/);
    expect(third.reply.headers['Retry-After']).toBeDefined();
    const elsewhere = call('login', { ip: '198.51.100.8' });
    await expect(guard.canActivate(elsewhere.context)).resolves.toBe(true);
  });

  it('gives token refreshes their own, larger per-IP budget: an office refreshing spends no logins', async () => {
    const guard = await makeGuard({ RATE_LIMIT_REFRESH_LIMIT: '5' });
    const office = '198.51.100.20';
    for (let i = 0; i < 5; i++) {
      await expect(guard.canActivate(call('refresh', { ip: office }).context)).resolves.toBe(true);
    }
    const sixth = call('refresh', { ip: office });
    const error = await refusal(guard, sixth.context);
    expect((error as ProblemException).message).toMatch(/refresh class \(5 requests per 900 s\)/);
    // The login budget of that address is untouched.
    const login = call('login', { ip: office });
    await expect(guard.canActivate(login.context)).resolves.toBe(true);
    expect(login.reply.headers['RateLimit-Remaining']).toBe('1');
  });

  it('never limits other public routes and sets no headers on them', async () => {
    const guard = await makeGuard({ RATE_LIMIT_DEFAULT_LIMIT: '1' });
    for (let i = 0; i < 5; i++) {
      const probe = call('live');
      await expect(guard.canActivate(probe.context)).resolves.toBe(true);
      expect(probe.reply.headers).toEqual({});
    }
  });

  it('exempts the service role', async () => {
    const guard = await makeGuard({ RATE_LIMIT_DEFAULT_LIMIT: '1' });
    for (let i = 0; i < 5; i++) {
      const service = call('me', { user: principal('service') });
      await expect(guard.canActivate(service.context)).resolves.toBe(true);
      expect(service.reply.headers).toEqual({});
    }
  });

  it('exempts clients inside RATE_LIMIT_EXEMPT_CIDRS, IPv4 and IPv6', async () => {
    const guard = await makeGuard({
      RATE_LIMIT_DEFAULT_LIMIT: '1',
      RATE_LIMIT_EXEMPT_CIDRS: '10.0.0.0/8, fd00::/8',
    });
    for (const ip of ['10.1.2.3', '10.1.2.3', '::ffff:10.9.9.9', 'fd00::5', 'fd00::5']) {
      const internal = call('me', { user: viewer, ip });
      await expect(guard.canActivate(internal.context)).resolves.toBe(true);
      expect(internal.reply.headers).toEqual({});
    }
    await guard.canActivate(call('me', { user: viewer, ip: '11.0.0.1' }).context);
    expect(
      await refusal(guard, call('me', { user: viewer, ip: '11.0.0.1' }).context),
    ).toBeInstanceOf(ProblemException);
  });

  it('lets requests through without headers while the counter store fails', async () => {
    const failing: ThrottlerStorage = {
      increment: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const guard = await makeGuard({}, failing);
      for (let i = 0; i < 5; i++) {
        const { context, reply } = call('me', { user: viewer });
        await expect(guard.canActivate(context)).resolves.toBe(true);
        expect(reply.headers).toEqual({});
      }
      // Once per outage, not once per request.
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('leaves non-HTTP contexts alone', async () => {
    const guard = await makeGuard({ RATE_LIMIT_DEFAULT_LIMIT: '1' });
    for (let i = 0; i < 3; i++) {
      await expect(guard.canActivate(call('me', { type: 'rpc' }).context)).resolves.toBe(true);
    }
  });
});
