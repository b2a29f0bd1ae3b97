import { Body, Controller, Delete, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth/decorators/public.decorator';
import { NotFoundError, ValidationError } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { ApiEnvelope, ApiErrors } from '../../common/swagger/api-envelope.decorators';
import { HMAC_SECURITY_SCHEME } from '../../common/swagger/swagger.setup';
import { BuiltinDashboardsService } from './builtin-dashboards.service';
import { ExternalCreateDashboardDto, ExternalDashboardResponseDto } from './dto/external-dashboard.dto';
import { ExternalHmacGuard, ExternalRequest } from './external-hmac.guard';

/**
 * The built-in provider's Papermap-compatible API: accepts exactly what the Papermap client
 * sends, so one Tessera can be another's provider. Authenticated by HMAC headers, not a JWT.
 */
@ApiTags('external')
@ApiSecurity(HMAC_SECURITY_SCHEME)
@ApiHeader({ name: 'X-API-Key-ID', required: true, description: 'An `ak_…` key id' })
@ApiHeader({ name: 'X-Workspace-ID', required: true, description: 'The builtin workspace acted on' })
@ApiHeader({ name: 'X-Valid-Until', required: true, description: 'Unix seconds; not past, at most 1 h ahead' })
@ApiHeader({ name: 'X-Signature', required: true, description: 'Lowercase hex HMAC-SHA256 of workspace id + valid-until, keyed by the `sk_…` secret' })
@ApiErrors(ErrorCode.INVALID_CREDENTIALS)
@Public()
@UseGuards(ExternalHmacGuard)
@Controller('api/v1/external/dashboards')
export class ExternalDashboardsController {
  constructor(private readonly dashboards: BuiltinDashboardsService) {}

  /**
   * Create a dashboard (HMAC API)
   *
   * @remarks The built-in provider's side of seed 000: what a Papermap client (such as another
   * Tessera) sends. Signed with the HMAC headers; `workspace_id` must equal `X-Workspace-ID`. The
   * envelope's `data` holds `{data: {dashboard_id, …}}`, as the seed reads it.
   */
  @Post()
  @ApiEnvelope(ExternalDashboardResponseDto, { status: 201, description: 'Created' })
  @ApiErrors(ErrorCode.VALIDATION_ERROR)
  async create(@Req() request: ExternalRequest, @Body() dto: ExternalCreateDashboardDto): Promise<ExternalDashboardResponseDto> {
    const caller = request.externalCaller!;
    if (dto.workspace_id !== caller.workspaceId) {
      throw new ValidationError('Request validation failed', [{ field: 'workspace_id', message: 'workspace_id must equal the signed X-Workspace-ID' }]);
    }
    const dashboard = await this.dashboards.create({
      organizationId: caller.organizationId,
      workspaceId: caller.workspaceId,
      title: dto.title,
      description: dto.description ?? null,
    });
    return {
      data: {
        dashboard_id: dashboard.id,
        workspace_id: dashboard.workspaceId,
        title: dashboard.title,
        description: dashboard.description,
        created_at: dashboard.createdAt.toISOString(),
      },
    };
  }

  /**
   * Delete a dashboard (HMAC API)
   *
   * @remarks Signed with the HMAC headers. Deletes a dashboard of the signed workspace; 404 when it is
   * not there. Answers 204 with no body.
   */
  @Delete(':dashboardId')
  @HttpCode(204)
  @ApiErrors(ErrorCode.NOT_FOUND)
  async remove(@Req() request: ExternalRequest, @Param('dashboardId') dashboardId: string): Promise<void> {
    const caller = request.externalCaller!;
    if (!(await this.dashboards.delete(caller.organizationId, caller.workspaceId, dashboardId))) throw new NotFoundError('Dashboard not found');
  }
}
