import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Caller } from '../auth/caller';
import { SecretBox } from '../common/crypto/secret-box';
import { generateSecret, hashSecret, secretMatches } from '../common/crypto/secret-tokens';
import { Page } from '../common/http/envelope';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { AppConfig } from '../config/configuration';
import { isForeignKeyViolation, isUniqueViolation } from '../database/database-errors';
import { CreatedWorkspaceDto, CreateWorkspaceDto, ProjectSecretDto, UpdateWorkspaceDto, WorkspaceDto } from './dto/workspace.dto';
import { Workspace } from './entities/workspace.entity';
import { WorkspaceConnection } from './workspace-connection';
import { WorkspaceCredentialsError, WorkspaceExistsError, WorkspaceInUseError, WorkspaceNotFoundError } from './workspaces.errors';

export const PROJECT_SECRET_PREFIX = 'ps';

/** The columns a WorkspaceConnection is built from. */
export type WorkspaceConnectionColumns = Pick<Workspace, 'organizationId' | 'id' | 'provider' | 'apiUrl' | 'apiKeyId' | 'secretKeySealed' | 'embedUrl'>;

/** Workspaces of one organization at a time; provider secrets sealed, project secrets hashed. */
@Injectable()
export class WorkspacesService {
  constructor(
    @InjectRepository(Workspace) private readonly workspaces: Repository<Workspace>,
    private readonly secretBox: SecretBox,
    private readonly config: AppConfig,
  ) {}

  async create(caller: Caller, dto: CreateWorkspaceDto): Promise<CreatedWorkspaceDto> {
    const organizationId = caller.organizationId;
    checkCredentials(dto.provider, dto);
    const projectSecret = generateSecret(PROJECT_SECRET_PREFIX);
    const workspace = this.workspaces.create({
      organizationId,
      id: dto.id,
      name: dto.name,
      provider: dto.provider,
      apiUrl: dto.api_url ?? null,
      apiKeyId: dto.api_key_id ?? null,
      secretKeySealed: dto.secret_key ? this.secretBox.seal(dto.secret_key, sealContext(organizationId, dto.id)) : null,
      embedUrl: dto.embed_url ?? null,
      projectSecretHash: hashSecret(projectSecret),
    });
    try {
      await this.workspaces.insert(workspace);
    } catch (error) {
      if (isUniqueViolation(error)) throw new WorkspaceExistsError();
      throw error;
    }
    return { ...this.toDto(await this.find(organizationId, dto.id)), project_secret: projectSecret };
  }

  async list(caller: Caller, page: PaginationQueryDto): Promise<Page<WorkspaceDto>> {
    const [rows, total] = await this.workspaces.findAndCount({
      where: { organizationId: caller.organizationId },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: page.skip,
      take: page.limit,
    });
    return new Page(
      rows.map((row) => this.toDto(row)),
      total,
    );
  }

  async get(caller: Caller, workspaceId: string): Promise<WorkspaceDto> {
    return this.toDto(await this.find(caller.organizationId, workspaceId));
  }

  async update(caller: Caller, workspaceId: string, dto: UpdateWorkspaceDto): Promise<WorkspaceDto> {
    const organizationId = caller.organizationId;
    const current = await this.find(organizationId, workspaceId);
    const changes: Partial<Workspace> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.api_url !== undefined) changes.apiUrl = dto.api_url;
    if (dto.embed_url !== undefined) changes.embedUrl = dto.embed_url;
    if (dto.api_key_id !== undefined) changes.apiKeyId = dto.api_key_id;
    if (dto.secret_key !== undefined) changes.secretKeySealed = this.secretBox.seal(dto.secret_key, sealContext(organizationId, workspaceId));
    checkCredentials(current.provider, {
      api_key_id: changes.apiKeyId ?? current.apiKeyId ?? undefined,
      secret_key: dto.secret_key ?? (current.secretKeySealed ? 'stored' : undefined),
      api_url: changes.apiUrl === undefined ? (current.apiUrl ?? undefined) : (changes.apiUrl ?? undefined),
      embed_url: changes.embedUrl === undefined ? (current.embedUrl ?? undefined) : (changes.embedUrl ?? undefined),
    });
    if (Object.keys(changes).length > 0) await this.workspaces.update({ organizationId, id: workspaceId }, changes);
    return this.get(caller, workspaceId);
  }

  /** Refused (409) while dashboards still use the workspace. */
  async remove(caller: Caller, workspaceId: string): Promise<void> {
    try {
      const result = await this.workspaces.delete({ organizationId: caller.organizationId, id: workspaceId });
      if (result.affected === 0) throw new WorkspaceNotFoundError();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new WorkspaceInUseError();
      throw error;
    }
  }

  /** A new project secret; the old one stops working at once. */
  async rotateProjectSecret(caller: Caller, workspaceId: string): Promise<ProjectSecretDto> {
    const projectSecret = generateSecret(PROJECT_SECRET_PREFIX);
    const result = await this.workspaces.update(
      { organizationId: caller.organizationId, id: workspaceId },
      { projectSecretHash: hashSecret(projectSecret) },
    );
    if (result.affected === 0) throw new WorkspaceNotFoundError();
    return { project_secret: projectSecret };
  }

  /** The provider connection, secret key decrypted, for the provider layer only. */
  async getForOrganization(organizationId: string, workspaceId: string): Promise<WorkspaceConnection> {
    return this.connectionOf(await this.find(organizationId, workspaceId));
  }

  /** The connection for a workspace row read elsewhere (e.g. joined into a token-issuance lookup). */
  connectionOf(workspace: WorkspaceConnectionColumns): WorkspaceConnection {
    const { organizationId, id: workspaceId } = workspace;
    return {
      organizationId,
      workspaceId,
      provider: workspace.provider,
      apiUrl: this.effectiveApiUrl(workspace),
      apiKeyId: workspace.apiKeyId,
      secretKey: workspace.secretKeySealed ? this.secretBox.open(workspace.secretKeySealed, sealContext(organizationId, workspaceId)) : null,
      embedUrl: this.effectiveEmbedUrl(workspace),
    };
  }

  /**
   * For the Tokens API: the workspace with this id whose project secret matches. Workspace ids
   * are unique per organization only, so the secret decides which organization's is meant.
   * Every candidate is compared in constant time.
   */
  async findByProjectSecret(workspaceId: string, projectSecret: string): Promise<Workspace | undefined> {
    const candidates = await this.workspaces.findBy({ id: workspaceId });
    let match: Workspace | undefined;
    for (const candidate of candidates) if (secretMatches(projectSecret, candidate.projectSecretHash) && !match) match = candidate;
    if (candidates.length === 0) secretMatches(projectSecret, undefined); // same work whether or not the id exists
    return match;
  }

  /** For the built-in provider's HMAC API: does this organization own this builtin workspace? */
  async isBuiltinWorkspace(organizationId: string, workspaceId: string): Promise<boolean> {
    return this.workspaces.exists({ where: { organizationId, id: workspaceId, provider: 'builtin' } });
  }

  private async find(organizationId: string, workspaceId: string): Promise<Workspace> {
    const workspace = await this.workspaces.findOneBy({ organizationId, id: workspaceId });
    if (!workspace) throw new WorkspaceNotFoundError();
    return workspace;
  }

  private toDto(workspace: Workspace): WorkspaceDto {
    return {
      id: workspace.id,
      name: workspace.name,
      provider: workspace.provider,
      api_url: this.effectiveApiUrl(workspace),
      api_key_id: workspace.apiKeyId,
      has_secret_key: workspace.secretKeySealed !== null,
      embed_url: this.effectiveEmbedUrl(workspace),
      created_at: workspace.createdAt.toISOString(),
      updated_at: workspace.updatedAt.toISOString(),
    };
  }

  private effectiveApiUrl(workspace: Pick<Workspace, 'provider' | 'apiUrl'>): string | null {
    return workspace.provider === 'papermap' ? (workspace.apiUrl ?? this.config.papermap.apiUrl) : null;
  }

  private effectiveEmbedUrl(workspace: Pick<Workspace, 'provider' | 'embedUrl'>): string | null {
    return workspace.provider === 'papermap' ? (workspace.embedUrl ?? this.config.papermap.embedUrl) : null;
  }
}

/** The associated data that binds a sealed secret key to its workspace row. */
function sealContext(organizationId: string, workspaceId: string): string {
  return `workspace:${organizationId}:${workspaceId}`;
}

type Credentials = Pick<CreateWorkspaceDto, 'api_url' | 'api_key_id' | 'secret_key' | 'embed_url'>;

/** `papermap` needs a key id and secret; `builtin` is hosted here and takes no provider settings. */
function checkCredentials(provider: string, credentials: Credentials): void {
  if (provider === 'papermap') {
    if (!credentials.api_key_id) throw new WorkspaceCredentialsError('api_key_id', 'api_key_id is required for papermap workspaces');
    if (!credentials.secret_key) throw new WorkspaceCredentialsError('secret_key', 'secret_key is required for papermap workspaces');
    return;
  }
  for (const field of ['api_url', 'api_key_id', 'secret_key', 'embed_url'] as const) {
    if (credentials[field] !== undefined) {
      throw new WorkspaceCredentialsError(field, `${field} does not apply to builtin workspaces (Tessera hosts their dashboards)`);
    }
  }
}
