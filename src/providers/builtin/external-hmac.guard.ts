import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { ApiKeysService } from '../../api-keys/api-keys.service';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { WorkspacesService } from '../../workspaces/workspaces.service';
import { verifyPapermapSignature } from '../papermap/papermap-signature';

/** How far ahead `X-Valid-Until` may be: the Papermap client uses now + 300 s. */
export const MAX_VALID_UNTIL_AHEAD_SECONDS = 3_600;

/** The organization and workspace a verified HMAC request acts for. */
export interface ExternalCaller {
  organizationId: string;
  apiKeyId: string;
  workspaceId: string;
}

export type ExternalRequest = FastifyRequest & { externalCaller?: ExternalCaller };

export class InvalidHmacCredentialsError extends AppException {
  constructor() {
    super(ErrorCode.INVALID_CREDENTIALS, 'Invalid API key, signature or validity window', 401);
  }
}

/**
 * The built-in provider's HMAC authentication, the same four headers the Papermap client sends:
 * `X-API-Key-ID`, `X-Workspace-ID`, `X-Valid-Until` (unix seconds, not past, at most 1 h ahead),
 * `X-Signature` = hex HMAC-SHA256(workspace_id + valid_until) with the key's secret, compared in
 * constant time. The key must be active and its organization must own the (builtin) workspace.
 * Every failure gives the same 401 so that a prober cannot tell which part was wrong.
 */
@Injectable()
export class ExternalHmacGuard implements CanActivate {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly workspaces: WorkspacesService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ExternalRequest>();
    const apiKeyId = header(request, 'x-api-key-id');
    const workspaceId = header(request, 'x-workspace-id');
    const validUntil = header(request, 'x-valid-until');
    const signature = header(request, 'x-signature');
    if (!apiKeyId || !workspaceId || !validUntil || !signature) throw new InvalidHmacCredentialsError();

    const now = Math.floor(Date.now() / 1000);
    if (!/^\d{1,12}$/.test(validUntil)) throw new InvalidHmacCredentialsError();
    const until = Number(validUntil);
    if (until < now || until > now + MAX_VALID_UNTIL_AHEAD_SECONDS) throw new InvalidHmacCredentialsError();

    const key = await this.apiKeys.findActive(apiKeyId);
    if (!key || !verifyPapermapSignature(workspaceId, validUntil, signature, key.secret)) throw new InvalidHmacCredentialsError();
    if (!(await this.workspaces.isBuiltinWorkspace(key.organizationId, workspaceId))) throw new InvalidHmacCredentialsError();

    request.externalCaller = { organizationId: key.organizationId, apiKeyId: key.id, workspaceId };
    return true;
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 && value.length <= 512 ? value : undefined;
}
