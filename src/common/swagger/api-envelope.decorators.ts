import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from '../errors/error-code';
import { ErrorEnvelopeDto, SuccessEnvelopeDto } from './envelope.dto';

interface EnvelopeOptions {
  status?: number;
  description?: string;
  /** The handler returns a `Page`: `data` is an array and `total` the full count. */
  list?: boolean;
}

/** Documents a success response as `{success: true, data: <model>}` (lists add `total`). */
export function ApiEnvelope(model: Type<unknown>, options: EnvelopeOptions = {}): MethodDecorator & ClassDecorator {
  const item = { $ref: getSchemaPath(model) };
  return applyDecorators(
    ApiExtraModels(SuccessEnvelopeDto, model),
    ApiResponse({
      status: options.status ?? 200,
      description: options.description ?? 'Success',
      schema: {
        allOf: [
          { $ref: getSchemaPath(SuccessEnvelopeDto) },
          {
            type: 'object',
            required: options.list ? ['data', 'total'] : ['data'],
            properties: options.list
              ? { data: { type: 'array', items: item }, total: { type: 'integer', minimum: 0 } }
              : { data: item },
          },
        ],
      },
    }),
  );
}

/** Documents the error envelopes an operation can answer with, one response per status. */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  return applyDecorators(
    ApiExtraModels(ErrorEnvelopeDto),
    ...[...byStatus].map(([status, statusCodes]) =>
      ApiResponse({
        status,
        description: statusCodes.join(' or '),
        schema: errorEnvelopeSchema(statusCodes),
      }),
    ),
  );
}

export function errorEnvelopeSchema(codes: ErrorCode[]): Record<string, unknown> {
  return {
    allOf: [
      { $ref: getSchemaPath(ErrorEnvelopeDto) },
      { type: 'object', properties: { code: { type: 'string', enum: codes } } },
    ],
  };
}
