import type { EmbeddedPostgres } from '../../libs/database/src/embedded-postgres';
import type { ThrowawayRedis } from './throwaway-redis';

// Global setup and teardown run in the same process (jest's parent), so module state carries over.
interface EmbeddedState {
  server: EmbeddedPostgres;
  dir: string;
}
const holder = globalThis as typeof globalThis & {
  sightlineEmbeddedTestServer?: EmbeddedState;
  sightlineThrowawayRedis?: ThrowawayRedis;
};

export function setEmbeddedForTeardown(server: EmbeddedPostgres, dir: string): void {
  holder.sightlineEmbeddedTestServer = { server, dir };
}

export function takeEmbeddedForTeardown(): EmbeddedState | undefined {
  const state = holder.sightlineEmbeddedTestServer;
  holder.sightlineEmbeddedTestServer = undefined;
  return state;
}

export function setRedisForTeardown(redis: ThrowawayRedis): void {
  holder.sightlineThrowawayRedis = redis;
}

export function takeRedisForTeardown(): ThrowawayRedis | undefined {
  const redis = holder.sightlineThrowawayRedis;
  holder.sightlineThrowawayRedis = undefined;
  return redis;
}
