import { IsOptional, IsString, Length } from 'class-validator';
import { ApiKey } from '../entities/api-key.entity';

export class CreateApiKeyDto {
  /** A label to recognise the key by, e.g. the backend that uses it. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class ApiKeyDto {
  /** `ak_…`: send it as `X-API-Key-ID`. */
  api_key_id: string;

  name: string | null;

  /** ISO-8601, UTC. */
  created_at: string;

  static from(key: ApiKey): ApiKeyDto {
    return { api_key_id: key.id, name: key.name, created_at: key.createdAt.toISOString() };
  }
}

export class CreatedApiKeyDto extends ApiKeyDto {
  /** `sk_…`: signs `X-Signature`. Shown this once; store it now. */
  secret_key: string;
}
