import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { bearerToken } from '../auth/caller-jwt.verifier';
import { ErrorCode } from '../common/errors/error-code';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import { perDashboardOrProject, perToken, RateLimit } from '../rate-limit/rate-limit.decorator';
import { GenerateTokenDto, TokenResponseDto } from './dto/generate-token.dto';
import { InvalidationDto, TokenValidationDto, ValidateTokenDto } from './dto/validate-token.dto';
import { TokensService } from './tokens.service';
import { TokenVerificationService } from './token-verification.service';

/** Seed 002's Tokens API. Authenticated by the dashboard/project secret in the body, or by the token itself. */
@ApiTags('tokens')
@Public()
@Controller('api/v1/tokens')
export class TokensController {
  constructor(
    private readonly tokens: TokensService,
    private readonly verification: TokenVerificationService,
  ) {}

  /** Generate a dashboard token (`dashboardId` + `dashboardSecret`) or a project token (`type: "project"`, `projectId` + `projectSecret` + an actor). */
  @Post()
  @HttpCode(200)
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

  /** Check a token: signature, expiry, audience, revocation. The token goes in the body or as Bearer. */
  @Post('validate')
  @HttpCode(200)
  @RateLimit('tokenValidation', perToken)
  @ApiEnvelope(TokenValidationDto)
  @ApiErrors(ErrorCode.TOKEN_EXPIRED, ErrorCode.INVALID_TOKEN, ErrorCode.RATE_LIMIT_EXCEEDED)
  validate(@Body() dto: ValidateTokenDto, @Headers('authorization') authorization?: string): Promise<TokenValidationDto> {
    return this.verification.validate(dto.token ?? bearerToken(authorization));
  }

  /** Revoke the Bearer token everywhere until it would have expired. Idempotent. */
  @Post('invalidate')
  @HttpCode(200)
  @ApiBearerAuth()
  @RateLimit('tokenInvalidation', perToken)
  @ApiEnvelope(InvalidationDto)
  @ApiErrors(ErrorCode.INVALID_TOKEN, ErrorCode.RATE_LIMIT_EXCEEDED)
  invalidate(@Headers('authorization') authorization?: string): Promise<InvalidationDto> {
    return this.verification.invalidate(bearerToken(authorization));
  }
}
