import { ApiProperty } from '@nestjs/swagger';
import { RESOURCE_ID_PATTERN } from '../validation/validators';

/**
 * Documents what `@IsResourceId()` checks (the CLI plugin cannot see inside a composed validator):
 * ids that organizations choose themselves, like `org-123` or `workspace-456`.
 */
export const ApiResourceId = (options: { required?: boolean } = {}): PropertyDecorator =>
  ApiProperty({ type: 'string', pattern: RESOURCE_ID_PATTERN.source, minLength: 1, maxLength: 128, required: options.required ?? true });
