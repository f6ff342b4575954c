import Redis from 'ioredis';

/**
 * The Redis the suite may write to: `REDIS_URL` as given, or the throw-away server the
 * global set-up started when it was unset (global-setup.ts).
 */
export function testRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (url === undefined) throw new Error('REDIS_URL is unset: the global set-up did not run');
  return url;
}

/** Runs `use` with a fresh Redis connection, closed afterwards. */
export async function withRedis<T>(url: string, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url);
  try {
    return await use(redis);
  } finally {
    await redis.quit();
  }
}

/** Deletes every key a test wrote under its own `REDIS_KEY_PREFIX`. */
export function dropRedisKeys(url: string, keyPrefix: string): Promise<void> {
  return withRedis(url, async (redis) => {
    const stale = await redis.keys(`${keyPrefix}*`);
    if (stale.length > 0) await redis.del(...stale);
  });
}
