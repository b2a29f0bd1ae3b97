import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../auth.errors';
import { Caller } from '../caller';
import { bearerToken, CallerJwtVerifier } from '../caller-jwt.verifier';
import { IS_PUBLIC } from '../decorators/public.decorator';

/**
 * Global: every route needs a valid caller JWT (`Authorization: Bearer`, never a query or body
 * field) unless it is marked @Public(). The verified caller is put on `request.user`.
 *
 * Not a Passport strategy on purpose: Passport keeps strategies in one process-wide registry,
 * so a second Tessera app in the same process silently replaced the first one's verifier.
 */
@Injectable()
export class CallerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: CallerJwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Caller }>();
    const token = bearerToken(request.headers.authorization);
    const caller = token ? await this.verifier.verify(token) : undefined;
    if (!caller) throw new UnauthorizedError();
    request.user = caller;
    return true;
  }
}
