import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/decorators/access.decorators';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { Caller } from '../auth/caller';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/envelope';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import { CreatedWorkspaceDto, CreateWorkspaceDto, ProjectSecretDto, UpdateWorkspaceDto, WorkspaceDto } from './dto/workspace.dto';
import { WorkspacesService } from './workspaces.service';

/** Provider connections of the caller's organization. Admins only. */
@ApiTags('workspaces')
@AdminOnly()
@Controller('api/v1/workspaces')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  /** Register a provider connection. The response carries the project secret, this once. */
  @Post()
  @ApiEnvelope(CreatedWorkspaceDto, { status: 201, description: 'Created' })
  @ApiErrors(ErrorCode.VALIDATION_ERROR, ErrorCode.CONFLICT)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateWorkspaceDto): Promise<CreatedWorkspaceDto> {
    return this.workspaces.create(caller, dto);
  }

  /** List the organization's workspaces. */
  @Get()
  @ApiEnvelope(WorkspaceDto, { list: true })
  @ApiErrors(ErrorCode.VALIDATION_ERROR)
  list(@CurrentCaller() caller: Caller, @Query() page: PaginationQueryDto): Promise<Page<WorkspaceDto>> {
    return this.workspaces.list(caller, page);
  }

  /** Read one workspace (never its secret key). */
  @Get(':workspaceId')
  @ApiEnvelope(WorkspaceDto)
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentCaller() caller: Caller, @Param('workspaceId') workspaceId: string): Promise<WorkspaceDto> {
    return this.workspaces.get(caller, workspaceId);
  }

  /** Change a workspace's name, URLs or provider credentials. The provider itself cannot change. */
  @Patch(':workspaceId')
  @ApiEnvelope(WorkspaceDto)
  @ApiErrors(ErrorCode.VALIDATION_ERROR, ErrorCode.NOT_FOUND)
  update(@CurrentCaller() caller: Caller, @Param('workspaceId') workspaceId: string, @Body() dto: UpdateWorkspaceDto): Promise<WorkspaceDto> {
    return this.workspaces.update(caller, workspaceId, dto);
  }

  /** Delete a workspace. 409 while dashboards use it. */
  @Delete(':workspaceId')
  @HttpCode(204)
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
  remove(@CurrentCaller() caller: Caller, @Param('workspaceId') workspaceId: string): Promise<void> {
    return this.workspaces.remove(caller, workspaceId);
  }

  /** Rotate the project secret: a new one is returned this once and the old one stops working. */
  @Post(':workspaceId/project-secret')
  @HttpCode(200)
  @ApiEnvelope(ProjectSecretDto)
  @ApiErrors(ErrorCode.NOT_FOUND)
  rotateProjectSecret(@CurrentCaller() caller: Caller, @Param('workspaceId') workspaceId: string): Promise<ProjectSecretDto> {
    return this.workspaces.rotateProjectSecret(caller, workspaceId);
  }
}
