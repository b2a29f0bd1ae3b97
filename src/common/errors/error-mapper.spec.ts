import { BadRequestException, HttpException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from './app.exception';
import { toProblem } from './error-mapper';

describe('toProblem', () => {
  it('should keep an AppException as it is', () => {
    expect(toProblem(new ValidationError('bad', [{ field: 'a', message: 'm' }]))).toMatchObject({
      status: 422,
      code: 'VALIDATION_ERROR',
      message: 'bad',
      details: [{ field: 'a', message: 'm' }],
      unexpected: false,
    });
    expect(toProblem(new NotFoundError())).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(toProblem(new ConflictError())).toMatchObject({ status: 409, code: 'CONFLICT' });
  });

  it('should map Nest HTTP exceptions by status', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'))).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'No route for GET /x' });
    expect(toProblem(new PayloadTooLargeException())).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(toProblem(new BadRequestException(['a', 'b']))).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', message: 'a; b' });
  });

  it('should map Fastify request errors, which Nest passes on as HttpException', () => {
    expect(toProblem(new HttpException('Request body is too large', 413))).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(toProblem(new HttpException('Unsupported Media Type: text/plain', 415))).toMatchObject({ status: 415, code: 'VALIDATION_ERROR' });
  });

  it('should never pass a 5xx HttpException message through', () => {
    expect(toProblem(new HttpException('db password is hunter2', 500))).toMatchObject({ status: 500, code: 'SERVER_ERROR', message: 'Internal server error' });
  });

  it('should map a unique violation to 409 without its detail', () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "uq"'), { code: '23505', detail: 'Key (id)=(secret)' });
    const problem = toProblem(new QueryFailedError('INSERT …', [], driverError));
    expect(problem).toEqual({ status: 409, code: 'CONFLICT', message: 'Resource already exists', unexpected: false });
  });

  it.each([
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    new Error('Connection terminated unexpectedly'),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    new QueryFailedError('SELECT 1', [], Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })),
  ])('should map an unreachable database to 503 (%#)', (error) => {
    expect(toProblem(error)).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', headers: { 'retry-after': '5' } });
  });

  it('should turn anything else into an unexpected 500 that says nothing', () => {
    expect(toProblem(new TypeError('x is undefined'))).toEqual({ status: 500, code: 'SERVER_ERROR', message: 'Internal server error', unexpected: true });
    expect(toProblem('a string')).toMatchObject({ status: 500, unexpected: true });
    expect(toProblem(undefined)).toMatchObject({ status: 500, unexpected: true });
  });
});
