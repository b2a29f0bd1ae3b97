import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Caller } from '../caller';

/** The verified caller of a guarded route (set by the global CallerAuthGuard). */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  return context.switchToHttp().getRequest<{ user: Caller }>().user;
});
