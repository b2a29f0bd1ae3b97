import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'tessera:public';

/**
 * Opts a route out of the global caller-JWT guard. Only for routes with credentials of their
 * own (embed tokens, HMAC, project/dashboard secrets) or none by nature (health, docs, JWKS).
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
