import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/decorators/access.decorators';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { Caller } from '../auth/caller';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/envelope';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';

/** Keys for the built-in provider's HMAC API (`/api/v1/external/…`). Admins only. */
@ApiTags('api-keys')
@AdminOnly()
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /**
   * Create an API key
   *
   * @remarks Admins only. Issues an `ak_…` key id and `sk_…` secret for the built-in provider's HMAC
   * API (`/api/v1/external/…`). The secret is in this response only: store it now.
   */
  @Post()
  @ApiEnvelope(CreatedApiKeyDto, { status: 201, description: 'Created' })
  @ApiErrors(ErrorCode.VALIDATION_ERROR)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(caller, dto);
  }

  /**
   * List API keys
   *
   * @remarks Admins only. The organization's active keys, never their secrets. `limit` is at most 100.
   */
  @Get()
  @ApiEnvelope(ApiKeyDto, { list: true })
  @ApiErrors(ErrorCode.VALIDATION_ERROR)
  list(@CurrentCaller() caller: Caller, @Query() page: PaginationQueryDto): Promise<Page<ApiKeyDto>> {
    return this.apiKeys.list(caller, page);
  }

  /**
   * Revoke an API key
   *
   * @remarks Admins only. The key stops working at once. Answers 204 with no body.
   */
  @Delete(':apiKeyId')
  @HttpCode(204)
  @ApiErrors(ErrorCode.NOT_FOUND)
  revoke(@CurrentCaller() caller: Caller, @Param('apiKeyId') apiKeyId: string): Promise<void> {
    return this.apiKeys.revoke(caller, apiKeyId);
  }
}
