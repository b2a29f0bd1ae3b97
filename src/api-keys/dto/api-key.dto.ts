import { IsOptional, IsString, Length } from 'class-validator';
import { ApiKey } from '../entities/api-key.entity';

export class CreateApiKeyDto {
  /**
   * A label to recognise the key by, e.g. the backend that uses it.
   * @example billing-backend
   */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class ApiKeyDto {
  /**
   * `ak_…`: send it as `X-API-Key-ID`.
   * @example ak_7Hq2Lm9Xv4Rt8Kp3Ws6Yb1Nc
   */
  api_key_id: string;

  /**
   * The label given at creation, or null.
   * @example billing-backend
   */
  name: string | null;

  /**
   * ISO-8601, UTC.
   * @example 2025-01-31T12:00:00.000Z
   */
  created_at: string;

  static from(key: ApiKey): ApiKeyDto {
    return { api_key_id: key.id, name: key.name, created_at: key.createdAt.toISOString() };
  }
}

export class CreatedApiKeyDto extends ApiKeyDto {
  /**
   * `sk_…`: signs `X-Signature`. Shown this once; store it now.
   * @example sk_Zt5Gh8Jm2Qw7Er4Ty9Ui3Op6As1Df0Gh5Jk8Lz2Xc7V
   */
  secret_key: string;
}
