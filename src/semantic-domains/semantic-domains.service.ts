import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, In, Repository } from 'typeorm';
import { Caller } from '../auth/caller';
import { Page } from '../common/http/envelope';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { isForeignKeyViolation, isUniqueViolation } from '../database/database-errors';
import { WorkspaceNotFoundError } from '../workspaces/workspaces.errors';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { CreateSemanticDomainDto, SEMANTIC_DOMAIN_NAME_PATTERN, SemanticDomainDto, UpdateSemanticDomainDto } from './dto/semantic-domain.dto';
import { SemanticDomain } from './entities/semantic-domain.entity';
import { SemanticDomainExistsError, SemanticDomainNotFoundError, SemanticDomainReferenceError } from './semantic-domains.errors';

/** What `allowedSemanticDomains` may list at most. */
export const MAX_RESOLVED_DOMAINS = 50;

/** Checked before a domain id reaches PostgreSQL, which would answer a malformed uuid with an error (a 500). */
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Semantic domains of one workspace of one organization; every query names both. */
@Injectable()
export class SemanticDomainsService {
  constructor(
    @InjectRepository(SemanticDomain) private readonly domains: Repository<SemanticDomain>,
    private readonly workspaces: WorkspacesService,
  ) {}

  async create(caller: Caller, workspaceId: string, dto: CreateSemanticDomainDto): Promise<SemanticDomainDto> {
    await this.workspaces.get(caller, workspaceId);
    let id: string;
    try {
      const result = await this.domains.insert({
        organizationId: caller.organizationId,
        workspaceId,
        name: dto.name,
        description: dto.description ?? null,
      });
      id = (result.identifiers[0] as { id: string }).id;
    } catch (error) {
      if (isUniqueViolation(error)) throw new SemanticDomainExistsError();
      // The workspace was deleted since the check above.
      if (isForeignKeyViolation(error)) throw new WorkspaceNotFoundError();
      throw error;
    }
    return SemanticDomainDto.from(await this.find(caller.organizationId, workspaceId, id));
  }

  async list(caller: Caller, workspaceId: string, page: PaginationQueryDto): Promise<Page<SemanticDomainDto>> {
    await this.workspaces.get(caller, workspaceId);
    const [rows, total] = await this.domains.findAndCount({
      where: { organizationId: caller.organizationId, workspaceId },
      order: { name: 'ASC' },
      skip: page.skip,
      take: page.limit,
    });
    return new Page(rows.map(SemanticDomainDto.from), total);
  }

  async get(caller: Caller, workspaceId: string, domainId: string): Promise<SemanticDomainDto> {
    await this.workspaces.get(caller, workspaceId);
    return SemanticDomainDto.from(await this.find(caller.organizationId, workspaceId, domainId));
  }

  async update(caller: Caller, workspaceId: string, domainId: string, dto: UpdateSemanticDomainDto): Promise<SemanticDomainDto> {
    await this.workspaces.get(caller, workspaceId);
    const changes: Partial<SemanticDomain> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.description !== undefined) changes.description = dto.description;
    if (Object.keys(changes).length > 0 && UUID_PATTERN.test(domainId)) {
      try {
        await this.domains.update({ organizationId: caller.organizationId, workspaceId, id: domainId }, changes);
      } catch (error) {
        if (isUniqueViolation(error)) throw new SemanticDomainExistsError();
        throw error;
      }
    }
    return SemanticDomainDto.from(await this.find(caller.organizationId, workspaceId, domainId));
  }

  async remove(caller: Caller, workspaceId: string, domainId: string): Promise<void> {
    await this.workspaces.get(caller, workspaceId);
    if (!UUID_PATTERN.test(domainId)) throw new SemanticDomainNotFoundError();
    const result = await this.domains.delete({ organizationId: caller.organizationId, workspaceId, id: domainId });
    if (result.affected === 0) throw new SemanticDomainNotFoundError();
  }

  /**
   * The workspace's domains named by `idsOrNames` (each a domain's UUID or its exact name), for
   * the Tokens API's `allowedSemanticDomains`: in the order first named, duplicates collapsed.
   * The first entry that names nothing is refused (422) with its index; so are more than 50.
   */
  async resolve(organizationId: string, workspaceId: string, idsOrNames: string[]): Promise<SemanticDomain[]> {
    if (idsOrNames.length > MAX_RESOLVED_DOMAINS) {
      throw new SemanticDomainReferenceError('allowedSemanticDomains', `at most ${MAX_RESOLVED_DOMAINS} semantic domains`);
    }
    // Only well-formed values reach the query; anything else cannot name a domain anyway.
    const ids = idsOrNames.filter((entry) => typeof entry === 'string' && UUID_PATTERN.test(entry));
    const names = idsOrNames.filter((entry) => typeof entry === 'string' && SEMANTIC_DOMAIN_NAME_PATTERN.test(entry));
    const where: FindOptionsWhere<SemanticDomain>[] = [];
    if (ids.length > 0) where.push({ organizationId, workspaceId, id: In(ids) });
    if (names.length > 0) where.push({ organizationId, workspaceId, name: In(names) });
    const found = where.length > 0 ? await this.domains.find({ where }) : [];

    const resolved = new Map<string, SemanticDomain>();
    idsOrNames.forEach((entry, index) => {
      const byId = ids.includes(entry) ? found.find((d) => d.id === entry.toLowerCase()) : undefined;
      const domain = byId ?? found.find((d) => d.name === entry);
      if (!domain) throw new SemanticDomainReferenceError(`allowedSemanticDomains[${index}]`, 'unknown semantic domain');
      resolved.set(domain.id, domain);
    });
    return [...resolved.values()];
  }

  private async find(organizationId: string, workspaceId: string, domainId: string): Promise<SemanticDomain> {
    const domain = UUID_PATTERN.test(domainId) ? await this.domains.findOneBy({ organizationId, workspaceId, id: domainId }) : null;
    if (!domain) throw new SemanticDomainNotFoundError();
    return domain;
  }
}
