import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { UnauthorizedError } from '../auth.errors';
import { Caller } from '../caller';
import { CALLER_JWT_STRATEGY } from '../caller-jwt.strategy';
import { IS_PUBLIC } from '../decorators/public.decorator';

/** Global: every route needs a valid caller JWT unless it is marked @Public(). */
@Injectable()
export class CallerAuthGuard extends AuthGuard(CALLER_JWT_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    return super.canActivate(context) as Promise<boolean>;
  }

  override getAuthenticateOptions(): { session: boolean } {
    return { session: false };
  }

  override handleRequest<TUser = Caller>(error: unknown, caller: TUser | false): TUser {
    if (error || !caller) throw new UnauthorizedError();
    return caller;
  }
}
