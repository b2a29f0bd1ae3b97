import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { Caller } from '../auth/caller';
import { SecretBox } from '../common/crypto/secret-box';
import { generateSecret } from '../common/crypto/secret-tokens';
import { Page } from '../common/http/envelope';
import { PaginationQueryDto } from '../common/http/pagination.dto';
import { ApiKeyNotFoundError } from './api-keys.errors';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';
import { ApiKey } from './entities/api-key.entity';

/** What the HMAC guard needs to check a request signed with a key. */
export interface ActiveApiKey {
  id: string;
  organizationId: string;
  secret: string;
}

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    private readonly secretBox: SecretBox,
  ) {}

  async create(caller: Caller, dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const id = `ak_${randomBytes(16).toString('hex')}`;
    const secret = generateSecret('sk');
    const key = this.keys.create({
      id,
      organizationId: caller.organizationId,
      name: dto.name ?? null,
      secretSealed: this.secretBox.seal(secret, sealContext(id)),
      revokedAt: null,
    });
    await this.keys.insert(key);
    const saved = await this.keys.findOneByOrFail({ id });
    return { ...ApiKeyDto.from(saved), secret_key: secret };
  }

  /** The organization's keys that still work. */
  async list(caller: Caller, page: PaginationQueryDto): Promise<Page<ApiKeyDto>> {
    const [rows, total] = await this.keys.findAndCount({
      where: { organizationId: caller.organizationId, revokedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: page.skip,
      take: page.limit,
    });
    return new Page(rows.map(ApiKeyDto.from), total);
  }

  /** Revokes at once: requests signed with the key are refused from now on. */
  async revoke(caller: Caller, apiKeyId: string): Promise<void> {
    const result = await this.keys.update(
      { id: apiKeyId, organizationId: caller.organizationId, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
    if (result.affected === 0) throw new ApiKeyNotFoundError();
  }

  /** The key with its secret, if it exists and is not revoked. */
  async findActive(apiKeyId: string): Promise<ActiveApiKey | undefined> {
    const key = await this.keys.findOneBy({ id: apiKeyId, revokedAt: IsNull() });
    if (!key) return undefined;
    return { id: key.id, organizationId: key.organizationId, secret: this.secretBox.open(key.secretSealed, sealContext(key.id)) };
  }
}

function sealContext(apiKeyId: string): string {
  return `api-key:${apiKeyId}`;
}
