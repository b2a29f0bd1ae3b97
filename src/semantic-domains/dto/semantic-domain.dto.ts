import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsOptionalNonNull } from '../../common/validation/validators';
import { SemanticDomain } from '../entities/semantic-domain.entity';

/** Letters, digits, space . _ : - ; 1-100 characters, not starting with a symbol or space. */
export const SEMANTIC_DOMAIN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._:-]{0,99}$/;
const NAME_MESSAGE = '$property must be 1-100 characters: letters, digits, space . _ : - (not starting with a symbol or space)';
export const MAX_DESCRIPTION_LENGTH = 1_000;

export class CreateSemanticDomainDto {
  /** Unique within the workspace, e.g. `sales`. Project tokens may name it in `allowedSemanticDomains`. */
  @IsString()
  @Matches(SEMANTIC_DOMAIN_NAME_PATTERN, { message: NAME_MESSAGE })
  name: string;

  /** Free text, at most 1000 characters. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION_LENGTH)
  description?: string | null;
}

export class UpdateSemanticDomainDto {
  /** New name, unique within the workspace. */
  @IsOptionalNonNull()
  @IsString()
  @Matches(SEMANTIC_DOMAIN_NAME_PATTERN, { message: NAME_MESSAGE })
  name?: string;

  /** New description; `null` clears it. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION_LENGTH)
  description?: string | null;
}

export class SemanticDomainDto {
  /** UUID. */
  id: string;

  workspace_id: string;

  name: string;

  description: string | null;

  /** ISO-8601, UTC. */
  created_at: string;

  /** ISO-8601, UTC. */
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
