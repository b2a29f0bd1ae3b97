import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from '../errors/error-mapper';
import { InjectLogger, Logger } from '../logging/logger';
import { ErrorEnvelope } from '../http/envelope';

/**
 * The one place that writes error responses: `{success: false, error, code, details?, request_id}`.
 * Causes we did not foresee become a 500 `SERVER_ERROR` whose body says nothing about them;
 * the log line has the stack and the request id to find it.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(@InjectLogger() private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const problem = toProblem(exception);

    if (problem.unexpected) {
      this.logger.error({ err: exception, requestId: request.id, method: request.method, route: routeOf(request) }, 'unhandled error');
    } else if (problem.status >= 500) {
      this.logger.warn({ requestId: request.id, code: problem.code, reason: describe(exception) }, problem.message);
    }
    if (reply.sent) return;

    const body: ErrorEnvelope = {
      success: false,
      error: problem.message,
      code: problem.code,
      ...(problem.details && problem.details.length > 0 ? { details: problem.details } : {}),
      request_id: String(request.id),
    };
    if (problem.headers) void reply.headers(problem.headers);
    void reply.status(problem.status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions?.url ?? request.url.split('?')[0];
}

/** A short, secret-free description of an expected 5xx cause (an error code, never a message with values). */
function describe(exception: unknown): string | undefined {
  if (exception && typeof exception === 'object' && 'code' in exception) return String((exception as { code: unknown }).code);
  return exception instanceof Error ? exception.name : undefined;
}
