import { SetMetadata } from '@nestjs/common';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { FastifyInstance, RouteOptions } from 'fastify';

interface BodyLimitRouteConfig {
  bodyLimit?: number;
}

/**
 * Raises (or lowers) the request body limit of one route above the small
 * global default, e.g. for uploads. Enforced by Fastify's body parser, so an
 * oversized body is refused with 413 while it streams in.
 */
export const BodyLimit = (bytes: number): MethodDecorator =>
  SetMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { bodyLimit: bytes } satisfies BodyLimitRouteConfig);

/** Copies `@BodyLimit` from route config to Fastify's route option as each route registers. */
export function applyRouteBodyLimits(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const config = route.config as BodyLimitRouteConfig | undefined;
    const limit = config?.bodyLimit;
    if (limit !== undefined) route.bodyLimit = limit;
  });
}
