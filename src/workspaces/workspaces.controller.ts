import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/decorators/access.decorators';
import { CurrentCaller } from '../auth/decorators/current-caller.decorator';
import { Caller } from '../auth/caller';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/envelope';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { ApiEnvelope, ApiErrors } from '../common/swagger/api-envelope.decorators';
import {
  CREATE_WORKSPACE_EXAMPLES,
  CreatedWorkspaceDto,
  CreateWorkspaceDto,
  ProjectSecretDto,
  UPDATE_WORKSPACE_EXAMPLES,
  UpdateWorkspaceDto,
  WorkspaceDto,
} from './dto/workspace.dto';
import { WorkspacesService } from './workspaces.service';

/** Provider connections of the caller's organization. Admins only. */
@ApiTags('workspaces')
@AdminOnly()
@Controller('api/v1/workspaces')
export class WorkspacesController {
  constructor(private readonly workspaces: WorkspacesService) {}

  /**
   * Create a workspace
   *
   * @remarks Admins only. Registers a connection to an analytics provider: `builtin` (Tessera hosts
   * the dashboards; no other field) or `papermap` (needs `api_key_id` and `secret_key`; `api_url` and
   * `embed_url` default to the deployment's). The response carries the `ps_…` project secret for the
   * Tokens API, this once: store it now. An `id` that exists in your organization answers 409.
   */
  @Post()
  @ApiBody({ type: CreateWorkspaceDto, examples: CREATE_WORKSPACE_EXAMPLES })
  @ApiEnvelope(CreatedWorkspaceDto, { status: 201, description: 'Created' })
  @ApiErrors(ErrorCode.VALIDATION_ERROR, ErrorCode.CONFLICT)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateWorkspaceDto): Promise<CreatedWorkspaceDto> {
    return this.workspaces.create(caller, dto);
  }

  /**
   * List workspaces
   *
   * @remarks Admins only. The organization's workspaces, never their secret keys (`has_secret_key`
   * says whether one is stored). `limit` is at most 100.
   */
  @Get()
  @ApiEnvelope(WorkspaceDto, { list: true })
  @ApiErrors(ErrorCode.VALIDATION_ERROR)
  list(@CurrentCaller() caller: Caller, @Query() page: PaginationQueryDto): Promise<Page<WorkspaceDto>> {
    return this.workspaces.list(caller, page);
  }

  /**
   * Get a workspace
   *
   * @remarks Admins only. Never returns the provider secret key or the project secret.
   */
  @Get(':workspaceId')
  @ApiEnvelope(WorkspaceDto)
  @ApiErrors(ErrorCode.NOT_FOUND)
  get(@CurrentCaller() caller: Caller, @Param('workspaceId') workspaceId: string): Promise<WorkspaceDto> {
    return this.workspaces.get(caller, workspaceId);
  }

  /**
   * Update a workspace
   *
   * @remarks Admins only. Changes the name, URLs or provider credentials (`papermap`); the id and the
   * provider cannot change. `null` for `api_url` or `embed_url` returns to the deployment's default.
   */
  @Patch(':workspaceId')
  @ApiBody({ type: UpdateWorkspaceDto, examples: UPDATE_WORKSPACE_EXAMPLES })
  @ApiEnvelope(WorkspaceDto)
  @ApiErrors(ErrorCode.VALIDATION_ERROR, ErrorCode.NOT_FOUND)
  update(@CurrentCaller() caller: Caller, @Param('workspaceId') workspaceId: string, @Body() dto: UpdateWorkspaceDto): Promise<WorkspaceDto> {
    return this.workspaces.update(caller, workspaceId, dto);
  }

  /**
   * Delete a workspace
   *
   * @remarks Admins only. Answers 204 with no body; 409 `CONFLICT` while dashboards use it.
   */
  @Delete(':workspaceId')
  @HttpCode(204)
  @ApiErrors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
  remove(@CurrentCaller() caller: Caller, @Param('workspaceId') workspaceId: string): Promise<void> {
    return this.workspaces.remove(caller, workspaceId);
  }

  /**
   * Rotate the project secret
   *
   * @remarks Admins only. Returns a new `ps_…` project secret, this once; the old one stops working
   * at once for new project tokens (tokens already issued stay valid until they expire).
   */
  @Post(':workspaceId/project-secret')
  @HttpCode(200)
  @ApiEnvelope(ProjectSecretDto)
  @ApiErrors(ErrorCode.NOT_FOUND)
  rotateProjectSecret(@CurrentCaller() caller: Caller, @Param('workspaceId') workspaceId: string): Promise<ProjectSecretDto> {
    return this.workspaces.rotateProjectSecret(caller, workspaceId);
  }
}
