import { hash } from 'node:crypto';
import { SetMetadata } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Caller } from '../auth/caller';
import { bearerToken } from '../auth/caller-jwt.verifier';
import { RateLimitsConfig } from '../config/configuration';

export type RateLimitName = keyof RateLimitsConfig;
export type RateLimitedRequest = FastifyRequest & { user?: Caller };
/** What a limit is counted per; undefined falls back to the client address. */
export type Tracker = (request: RateLimitedRequest) => string | undefined;

export const RATE_LIMIT = 'tessera:rate-limit';

export interface RateLimitRule {
  name: RateLimitName;
  tracker: Tracker;
}

/** Applies the named limit (SPEC §7) to a route instead of the default per-caller limit. */
export const RateLimit = (name: RateLimitName, tracker: Tracker): MethodDecorator => SetMetadata(RATE_LIMIT, { name, tracker } satisfies RateLimitRule);

/** Per caller: organization and subject of the verified caller JWT. */
export const perCaller: Tracker = (request) => (request.user ? `caller:${request.user.organizationId}:${request.user.userId}` : undefined);

/**
 * Per embed token (in the body as `token`, or as the Bearer credential); hashed, never kept.
 * One-shot `hash()`: no Hash object per request on the validation hot path.
 */
export const perToken: Tracker = (request) => {
  const body = request.body as { token?: unknown } | undefined;
  const token = typeof body?.token === 'string' ? body.token : bearerToken(request.headers.authorization);
  return token ? `token:${hash('sha256', token, 'hex').slice(0, 32)}` : undefined;
};

/** Per dashboard or project named in a Tokens API body. */
export const perDashboardOrProject: Tracker = (request) => {
  const body = request.body as { type?: unknown; dashboardId?: unknown; projectId?: unknown } | undefined;
  if (body?.type === 'project' && typeof body.projectId === 'string') return `project:${body.projectId.slice(0, 256)}`;
  if (typeof body?.dashboardId === 'string') return `dashboard:${body.dashboardId.slice(0, 256)}`;
  return undefined;
};
