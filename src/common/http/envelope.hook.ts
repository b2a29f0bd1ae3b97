import { RouteConfig } from '@nestjs/platform-fastify';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Page, SuccessEnvelope } from './envelope';

interface EnvelopeRouteConfig {
  rawResponse?: boolean;
}

/** Marks a handler whose response is not wrapped (documents with their own format, e.g. JWKS). */
export const RawResponse = (): MethodDecorator => RouteConfig({ rawResponse: true } satisfies EnvelopeRouteConfig);

/**
 * Wraps every successful JSON response in `{success: true, data}` (lists: `data` + `total`).
 *
 * A Fastify `preSerialization` hook rather than a Nest interceptor: it runs once per object
 * response, with no Observable pipeline and no async-context binding per request (on the hot
 * paths that was a tenth of the CPU). Only objects reach this hook, never strings, buffers or
 * streams (HTML pages, scripts, the OpenAPI document). Errors are enveloped by the exception
 * filter and carry a 4xx/5xx status, so they pass through untouched; a 204 sends no payload.
 */
export function registerEnvelope(fastify: FastifyInstance): void {
  fastify.addHook('preSerialization', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, value: unknown) => void) => {
    if (reply.statusCode >= 300 || (request.routeOptions.config as EnvelopeRouteConfig | undefined)?.rawResponse) {
      done(null, payload);
      return;
    }
    done(null, wrap(payload));
  });
}

function wrap(result: unknown): SuccessEnvelope<unknown> {
  if (result instanceof Page) return { success: true, data: result.items, total: result.total };
  return { success: true, data: result ?? null };
}
