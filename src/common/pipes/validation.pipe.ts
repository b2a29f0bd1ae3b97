import { ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail, ValidationError } from '../errors/app.exception';

/**
 * Unknown fields are refused (so a body can never set what the server owns), values are
 * transformed to the DTO's types, and every failure becomes 422 `VALIDATION_ERROR` with one
 * `details` entry per field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => new ValidationError('Request validation failed', flattenErrors(errors)),
  });
}

export function flattenErrors(errors: ClassValidatorError[], parent = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      details.push({ field, message: message.replace(/^property (\S+) should not exist$/, 'unknown field') });
    }
    if (error.children && error.children.length > 0) details.push(...flattenErrors(error.children, field));
  }
  return details;
}
