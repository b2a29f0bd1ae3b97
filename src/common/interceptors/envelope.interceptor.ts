import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyReply } from 'fastify';
import { Observable, map } from 'rxjs';
import { Page, SuccessEnvelope } from '../http/envelope';

const RAW_RESPONSE = 'tessera:raw-response';

/** Marks a handler whose response is not wrapped (HTML pages, JWKS documents). */
export const RawResponse = (): MethodDecorator & ClassDecorator => SetMetadata(RAW_RESPONSE, true);

/** Wraps every handler result in `{success: true, data}` (lists: `data` + `total`); a 204 stays empty. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.reflector.getAllAndOverride<boolean>(RAW_RESPONSE, [context.getHandler(), context.getClass()])) {
      return next.handle();
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(map((result: unknown) => (reply.statusCode === 204 ? undefined : wrap(result))));
  }
}

function wrap(result: unknown): SuccessEnvelope<unknown> {
  if (result instanceof Page) return { success: true, data: result.items, total: result.total };
  return { success: true, data: result ?? null };
}
