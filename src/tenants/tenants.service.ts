import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { isAdmin } from '../auth/access';
import { Caller } from '../auth/caller';
import { Page } from '../common/http/envelope';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { isForeignKeyViolation, isUniqueViolation } from '../database/database-errors';
import { CreateTenantDto, TenantDto, UpdateTenantDto } from './dto/tenant.dto';
import { Tenant } from './entities/tenant.entity';
import { TenantExistsError, TenantInUseError, TenantNotFoundError, TenantSuspendedError } from './tenants.errors';

/** Tenants of one organization at a time: every query is scoped by the caller's organization. */
@Injectable()
export class TenantsService {
  constructor(@InjectRepository(Tenant) private readonly tenants: Repository<Tenant>) {}

  async create(caller: Caller, dto: CreateTenantDto): Promise<TenantDto> {
    const tenant = this.tenants.create({
      organizationId: caller.organizationId,
      id: dto.id,
      name: dto.name,
      status: dto.status ?? 'active',
      allowedOrigins: dto.allowed_origins ?? [],
      metadata: dto.metadata ?? {},
    });
    try {
      await this.tenants.insert(tenant);
    } catch (error) {
      if (isUniqueViolation(error)) throw new TenantExistsError();
      throw error;
    }
    return TenantDto.from(await this.find(caller.organizationId, dto.id));
  }

  /** Admins see every tenant of their organization; members only those in their claim. */
  async list(caller: Caller, page: PaginationQueryDto): Promise<Page<TenantDto>> {
    if (!isAdmin(caller) && caller.tenants.length === 0) return new Page([], 0);
    const [rows, total] = await this.tenants.findAndCount({
      where: isAdmin(caller)
        ? { organizationId: caller.organizationId }
        : { organizationId: caller.organizationId, id: In([...caller.tenants]) },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: page.skip,
      take: page.limit,
    });
    return new Page(rows.map(TenantDto.from), total);
  }

  async get(caller: Caller, tenantId: string): Promise<TenantDto> {
    return TenantDto.from(await this.find(caller.organizationId, tenantId));
  }

  async update(caller: Caller, tenantId: string, dto: UpdateTenantDto): Promise<TenantDto> {
    const changes: Partial<Tenant> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.status !== undefined) changes.status = dto.status;
    if (dto.allowed_origins !== undefined) changes.allowedOrigins = dto.allowed_origins;
    if (dto.metadata !== undefined) changes.metadata = dto.metadata;
    if (Object.keys(changes).length > 0) {
      const result = await this.tenants.update({ organizationId: caller.organizationId, id: tenantId }, changes);
      if (result.affected === 0) throw new TenantNotFoundError();
    }
    return this.get(caller, tenantId);
  }

  /** Refused (409) while the tenant still has a dashboard: the foreign key keeps it, no orphans. */
  async remove(caller: Caller, tenantId: string): Promise<void> {
    try {
      const result = await this.tenants.delete({ organizationId: caller.organizationId, id: tenantId });
      if (result.affected === 0) throw new TenantNotFoundError();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new TenantInUseError();
      throw error;
    }
  }

  /**
   * The tenant, created on first use (name = id) if the organization has none by that id, and
   * whether this call created it. Concurrent first uses agree on one row. Refuses suspended tenants.
   */
  async ensureActive(organizationId: string, tenantId: string): Promise<{ tenant: Tenant; created: boolean }> {
    const inserted = await this.tenants
      .createQueryBuilder()
      .insert()
      .values({ organizationId, id: tenantId, name: tenantId })
      .orIgnore()
      .returning(['id'])
      .execute();
    const tenant = await this.tenants.findOneByOrFail({ organizationId, id: tenantId });
    if (tenant.status !== 'active') throw new TenantSuspendedError();
    return { tenant, created: inserted.raw.length > 0 };
  }

  /** For token issuance: the tenant, which must exist (404) and be active (403). */
  async getActive(organizationId: string, tenantId: string): Promise<Tenant> {
    const tenant = await this.find(organizationId, tenantId);
    if (tenant.status !== 'active') throw new TenantSuspendedError();
    return tenant;
  }

  /** For project tokens that name a tenant by name: exactly one match, else NOT_FOUND. */
  async getActiveByName(organizationId: string, name: string): Promise<Tenant> {
    const matches = await this.tenants.find({ where: { organizationId, name }, take: 2 });
    if (matches.length !== 1) throw new TenantNotFoundError();
    if (matches[0].status !== 'active') throw new TenantSuspendedError();
    return matches[0];
  }

  /** Undoes an implicit creation whose purpose failed; kept if anything references it meanwhile. */
  async removeImplicit(organizationId: string, tenantId: string): Promise<void> {
    await this.tenants.delete({ organizationId, id: tenantId }).catch(() => undefined);
  }

  private async find(organizationId: string, tenantId: string): Promise<Tenant> {
    const tenant = await this.tenants.findOneBy({ organizationId, id: tenantId });
    if (!tenant) throw new TenantNotFoundError();
    return tenant;
  }
}
