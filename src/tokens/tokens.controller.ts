import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { bearerToken } from '../auth/caller-jwt.verifier';
import { ErrorCode } from '../common/errors/error-code';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import { EMBED_TOKEN_SECURITY_SCHEME } from '../common/swagger/swagger.setup';
import { perDashboardOrProject, perToken, RateLimit } from '../rate-limit/rate-limit.decorator';
import { ConnectionPolicyDto, GENERATE_TOKEN_EXAMPLES, GenerateTokenDto, RowPolicyDto, TokenResponseDto } from './dto/generate-token.dto';
import { InvalidationDto, TokenValidationDto, ValidateTokenDto } from './dto/validate-token.dto';
import { TokensService } from './tokens.service';
import { TokenVerificationService } from './token-verification.service';

/** Seed 002's Tokens API. Authenticated by the dashboard/project secret in the body, or by the token itself. */
@ApiTags('tokens')
@ApiExtraModels(RowPolicyDto, ConnectionPolicyDto)
@Public()
@Controller('api/v1/tokens')
export class TokensController {
  constructor(
    private readonly tokens: TokensService,
    private readonly verification: TokenVerificationService,
  ) {}

  /**
   * Generate an embed token
   *
   * @remarks Authenticated by a secret in the body, not by a header. A **dashboard token** needs
   * `dashboardId` + `dashboardSecret` (the `ds_…` from creating the dashboard); a **project token**
   * needs `type: "project"`, `projectId` (the workspace id) + `projectSecret` (the workspace's `ps_…`)
   * and an actor: `endUserId`, `endUserEmail` with `tenantId` or `tenantName`, or `orgUserId`.
   * Security policies (`rcls`, `cls`, `sls`, `params`, `config`) are signed into the token; a policy
   * that breaks a rule answers 422 `INVALID_SECURITY_POLICY` naming the offending path. A wrong
   * secret answers 401 `INVALID_CREDENTIALS`, a suspended tenant 403, an unknown end user without
   * `autoCreateEndUser` 404. `tokenExpiry` is 60..86400 seconds (default 1800). 100 requests per
   * minute per dashboard or project.
   */
  @Post()
  @HttpCode(200)
  @ApiBody({ type: GenerateTokenDto, examples: GENERATE_TOKEN_EXAMPLES })
  @RateLimit('tokenGeneration', perDashboardOrProject)
  @ApiEnvelope(TokenResponseDto)
  @ApiErrors(
    ErrorCode.VALIDATION_ERROR,
    ErrorCode.INVALID_CREDENTIALS,
    ErrorCode.INVALID_SECURITY_POLICY,
    ErrorCode.FORBIDDEN,
    ErrorCode.NOT_FOUND,
    ErrorCode.RATE_LIMIT_EXCEEDED,
  )
  generate(@Body() dto: GenerateTokenDto): Promise<TokenResponseDto> {
    return this.tokens.generate(dto);
  }

  /**
   * Validate an embed token
   *
   * @remarks Send the token as `token` in the body, or as `Authorization: Bearer <token>` with an
   * empty body `{}`. Checks the signature, expiry, audience and revocation; a valid token answers
   * its type, every signed claim and its expiry, otherwise 401 `TOKEN_EXPIRED` or `INVALID_TOKEN`.
   * 1000 requests per minute per token.
   */
  @Post('validate')
  @HttpCode(200)
  @ApiSecurity({})
  @ApiSecurity(EMBED_TOKEN_SECURITY_SCHEME)
  @RateLimit('tokenValidation', perToken)
  @ApiEnvelope(TokenValidationDto)
  @ApiErrors(ErrorCode.TOKEN_EXPIRED, ErrorCode.INVALID_TOKEN, ErrorCode.RATE_LIMIT_EXCEEDED)
  validate(@Body() dto: ValidateTokenDto, @Headers('authorization') authorization?: string): Promise<TokenValidationDto> {
    return this.verification.validate(dto.token ?? bearerToken(authorization));
  }

  /**
   * Invalidate an embed token
   *
   * @remarks Send the token as `Authorization: Bearer <token>` (no body). It stops working on every
   * instance within a second, until it would have expired. Idempotent: invalidating it again also
   * answers 200. 100 requests per minute per token.
   */
  @Post('invalidate')
  @HttpCode(200)
  @ApiBearerAuth(EMBED_TOKEN_SECURITY_SCHEME)
  @RateLimit('tokenInvalidation', perToken)
  @ApiEnvelope(InvalidationDto)
  @ApiErrors(ErrorCode.INVALID_TOKEN, ErrorCode.RATE_LIMIT_EXCEEDED)
  invalidate(@Headers('authorization') authorization?: string): Promise<InvalidationDto> {
    return this.verification.invalidate(bearerToken(authorization));
  }
}
