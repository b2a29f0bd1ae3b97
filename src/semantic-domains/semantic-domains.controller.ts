import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/decorators/access.decorators';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { Caller } from '../auth/caller';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/envelope';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import { CreateSemanticDomainDto, SemanticDomainDto, UpdateSemanticDomainDto } from './dto/semantic-domain.dto';
import { SemanticDomainsService } from './semantic-domains.service';

/** Named slices of a workspace's semantic model that project tokens may be limited to. Admins only. */
@ApiTags('semantic-domains')
@AdminOnly()
@Controller('api/v1/workspaces/:workspaceId/semantic-domains')
export class SemanticDomainsController {
  constructor(private readonly domains: SemanticDomainsService) {}

  /**
   * Create a semantic domain
   *
   * @remarks Admins only. Names a slice of the workspace's semantic model; project tokens may be
   * limited to domains by id or name (`allowedSemanticDomains`). Names are unique per workspace (409).
   */
  @Post()
  @ApiEnvelope(SemanticDomainDto, { status: 201, description: 'Created' })
  @ApiErrors(ErrorCode.VALIDATION_ERROR, ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
  create(@CurrentCaller() caller: Caller, @Param('workspaceId') workspaceId: string, @Body() dto: CreateSemanticDomainDto): Promise<SemanticDomainDto> {
    return this.domains.create(caller, workspaceId, dto);
  }

  /**
   * List semantic domains
   *
   * @remarks Admins only. The workspace's semantic domains, ordered by name. `limit` is at most 100.
   */
  @Get()
  @ApiEnvelope(SemanticDomainDto, { list: true })
  @ApiErrors(ErrorCode.VALIDATION_ERROR, ErrorCode.NOT_FOUND)
  list(@CurrentCaller() caller: Caller, @Param('workspaceId') workspaceId: string, @Query() page: PaginationQueryDto): Promise<Page<SemanticDomainDto>> {
    return this.domains.list(caller, workspaceId, page);
  }

  /**
   * Get a semantic domain
   *
   * @remarks Admins only. 404 when the workspace or the domain is not in your organization.
   */
  @Get(':domainId')
  @ApiEnvelope(SemanticDomainDto)
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentCaller() caller: Caller, @Param('workspaceId') workspaceId: string, @Param('domainId') domainId: string): Promise<SemanticDomainDto> {
    return this.domains.get(caller, workspaceId, domainId);
  }

  /**
   * Update a semantic domain
   *
   * @remarks Admins only. Renames the domain or changes its description (`null` clears it). A name
   * already used in the workspace answers 409 `CONFLICT`.
   */
  @Patch(':domainId')
  @ApiEnvelope(SemanticDomainDto)
  @ApiErrors(ErrorCode.VALIDATION_ERROR, ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
  update(
    @CurrentCaller() caller: Caller,
    @Param('workspaceId') workspaceId: string,
    @Param('domainId') domainId: string,
    @Body() dto: UpdateSemanticDomainDto,
  ): Promise<SemanticDomainDto> {
    return this.domains.update(caller, workspaceId, domainId, dto);
  }

  /**
   * Delete a semantic domain
   *
   * @remarks Admins only. Answers 204 with no body.
   */
  @Delete(':domainId')
  @HttpCode(204)
  @ApiErrors(ErrorCode.NOT_FOUND)
  remove(@CurrentCaller() caller: Caller, @Param('workspaceId') workspaceId: string, @Param('domainId') domainId: string): Promise<void> {
    return this.domains.remove(caller, workspaceId, domainId);
  }
}
