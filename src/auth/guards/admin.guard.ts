import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { isAdmin } from '../access';
import { AdminOnlyError } from '../auth.errors';
import { Caller } from '../caller';

@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const caller = context.switchToHttp().getRequest<{ user?: Caller }>().user;
    if (!caller || !isAdmin(caller)) throw new AdminOnlyError();
    return true;
  }
}
