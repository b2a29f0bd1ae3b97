import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, registerDecorator, ValidateIf, ValidationArguments, ValidationOptions } from 'class-validator';
import { checkJsonShape } from '../http/json-body-parser';

/** Ids that organizations choose themselves (tenant ids, workspace ids): `org-123`, `workspace-456`. */
export const RESOURCE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const IsResourceId = (): PropertyDecorator =>
  applyDecorators(
    IsString(),
    Matches(RESOURCE_ID_PATTERN, { message: '$property must be 1-128 characters: letters, digits, . _ : - (not starting with a symbol)' }),
  );

/** An exact web origin: `https://app.example.com[:port]`, nothing after it. */
export function isOrigin(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

export function IsOrigin(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isOrigin',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be origins like https://app.example.com (scheme, host, optional port; no path)', ...options },
      validator: { validate: (value: unknown) => isOrigin(value) },
    });
}

/** An http(s) URL without credentials in it. */
export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

export function IsHttpUrl(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isHttpUrl',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an http(s) URL without credentials', ...options },
      validator: { validate: (value: unknown) => isHttpUrl(value) },
    });
}

/** A plain JSON object, small and shallow (e.g. tenant metadata). */
export function IsSmallJsonObject(limits: { maxBytes: number; maxDepth: number }, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isSmallJsonObject',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [limits.maxBytes, limits.maxDepth],
      options: { message: (args: ValidationArguments) => `$property must be a JSON object of at most ${args.constraints[0]} bytes and depth ${args.constraints[1]}`, ...options },
      validator: {
        validate: (value: unknown) =>
          value !== null &&
          typeof value === 'object' &&
          !Array.isArray(value) &&
          Buffer.byteLength(JSON.stringify(value), 'utf8') <= limits.maxBytes &&
          checkJsonShape(value, limits.maxDepth) === undefined,
      },
    });
}

/**
 * Optional, but not nullable: unlike @IsOptional(), `null` is validated (and refused by the
 * type validators), so a PATCH cannot null a NOT NULL column.
 */
export const IsOptionalNonNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
