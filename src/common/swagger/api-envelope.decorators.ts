import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-code';
import { ErrorEnvelopeDto, SuccessEnvelopeDto } from './envelope.dto';
import { defaultStatusOf, errorResponse } from './error-responses';

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
      description: options.description ?? (options.list ? 'A page of results; `total` counts them all' : 'Success'),
      schema: {
        allOf: [
          { $ref: getSchemaPath(SuccessEnvelopeDto) },
          {
            type: 'object',
            required: options.list ? ['data', 'total'] : ['data'],
            properties: options.list
              ? { data: { type: 'array', items: item }, total: { type: 'integer', minimum: 0, description: 'How many items match, across all pages.' } }
              : { data: item },
          },
        ],
      },
    }),
  );
}

/**
 * Documents the error envelopes an operation can answer with: one response per status, `code`
 * narrowed to the codes given, with an example per code. Errors every route shares (429, 500,
 * malformed bodies, database down) are added to the whole document by `createOpenApiDocument`.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(defaultStatusOf(code), [...(byStatus.get(defaultStatusOf(code)) ?? []), code]);
  return applyDecorators(
    ApiExtraModels(ErrorEnvelopeDto),
    ...[...byStatus].map(([status, statusCodes]) => {
      const { description, headers, content } = errorResponse(status, statusCodes);
      const { schema, examples } = content!['application/json'];
      return ApiResponse({ status, description, headers, schema, examples } as Parameters<typeof ApiResponse>[0]);
    }),
  );
}
