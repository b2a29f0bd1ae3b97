import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsOptionalNonNull } from '../../common/validation/validators';
import { SemanticDomain } from '../entities/semantic-domain.entity';

/** Letters, digits, space . _ : - ; 1-100 characters, not starting with a symbol or space. */
export const SEMANTIC_DOMAIN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._:-]{0,99}$/;
const NAME_MESSAGE = '$property must be 1-100 characters: letters, digits, space . _ : - (not starting with a symbol or space)';
export const MAX_DESCRIPTION_LENGTH = 1_000;

export class CreateSemanticDomainDto {
  /**
   * Unique within the workspace, e.g. `sales`. Project tokens may name it in `allowedSemanticDomains`.
   * @example sales
   */
  @IsString()
  @Matches(SEMANTIC_DOMAIN_NAME_PATTERN, { message: NAME_MESSAGE })
  name: string;

  /**
   * Free text, at most 1000 characters.
   * @example "Orders, revenue and pipeline"
   */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION_LENGTH)
  description?: string | null;
}

export class UpdateSemanticDomainDto {
  /**
   * New name, unique within the workspace.
   * @example sales-eu
   */
  @IsOptionalNonNull()
  @IsString()
  @Matches(SEMANTIC_DOMAIN_NAME_PATTERN, { message: NAME_MESSAGE })
  name?: string;

  /**
   * New description; `null` clears it.
   * @example "Orders and revenue in the EU"
   */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION_LENGTH)
  description?: string | null;
}

export class SemanticDomainDto {
  /**
   * UUID.
   * @example 7d2b9c4e-1f3a-4b6d-8e5c-2a1f0e9d8c7b
   */
  id: string;

  /**
   * The workspace it belongs to.
   * @example workspace-456
   */
  workspace_id: string;

  /**
   * Unique within the workspace.
   * @example sales
   */
  name: string;

  /**
   * Free text, or null.
   * @example "Orders, revenue and pipeline"
   */
  description: string | null;

  /**
   * ISO-8601, UTC.
   * @example 2025-01-31T12:00:00.000Z
   */
  created_at: string;

  /**
   * ISO-8601, UTC.
   * @example 2025-01-31T12:00:00.000Z
   */
  updated_at: string;

  static from(domain: SemanticDomain): SemanticDomainDto {
    return {
      id: domain.id,
      workspace_id: domain.workspaceId,
      name: domain.name,
      description: domain.description,
      created_at: domain.createdAt.toISOString(),
      updated_at: domain.updatedAt.toISOString(),
    };
  }
}
