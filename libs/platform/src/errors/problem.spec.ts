import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { ConflictError, DomainError, RateLimitedError, RequestValidationError, ServiceOverloadedError } from './domain-error';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { toProblem } from './problem';

// What Nest's Fastify adapter makes of a Fastify body error.
function fastifyError(code: string, statusCode: number): HttpException {
  const cause = Object.assign(new Error('fastify says no'), { code, statusCode, name: 'FastifyError' });
  return new HttpException(cause.message, statusCode, { cause });
}

describe('toProblem', () => {
  it('maps a DomainError by kind, with its code, detail and field errors', () => {
    const problem = toProblem(
      new ConflictError('INCIDENT.ILLEGAL_TRANSITION', 'closed is final', { errors: [{ field: 'to', message: 'bad' }] }),
      'c-1',
    );
    expect(problem).toEqual({
      isServerFault: false,
      retryAfterSeconds: undefined,
      body: {
        type: 'urn:watchfloor:problem:INCIDENT.ILLEGAL_TRANSITION',
        title: 'Conflict',
        status: 409,
        detail: 'closed is final',
        code: 'INCIDENT.ILLEGAL_TRANSITION',
        correlationId: 'c-1',
        errors: [{ field: 'to', message: 'bad' }],
      },
    });
  });

  it('gives validation failures REQUEST.VALIDATION and 400', () => {
    const { body } = toProblem(new RequestValidationError([{ field: 'observables[2].value', message: 'x' }]), 'c');
    expect(body).toMatchObject({ status: 400, code: 'REQUEST.VALIDATION', errors: [{ field: 'observables[2].value' }] });
  });

  it('carries Retry-After for rate limits', () => {
    const problem = toProblem(new RateLimitedError(17), 'c');
    expect(problem.retryAfterSeconds).toBe(17);
    expect(problem.body).toMatchObject({ status: 429, code: 'REQUEST.RATE_LIMITED' });
  });

  it('answers overload with 503 SERVICE.OVERLOADED and Retry-After, not as a server fault', () => {
    const problem = toProblem(new ServiceOverloadedError(3), 'c');
    expect(problem).toMatchObject({ retryAfterSeconds: 3, isServerFault: false, body: { status: 503, code: 'SERVICE.OVERLOADED' } });
  });

  it('answers a database outage with 503 SERVICE.UNAVAILABLE and Retry-After (logged), whatever wraps it', () => {
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const outages = [
      Object.assign(new Error('Query failed'), { driverError: shutdown }),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
      new Error('timeout exceeded when trying to connect'),
      new Error('submission failed', { cause: shutdown }),
      new QueryRunnerAlreadyReleasedError(),
      new QueryRunnerProviderAlreadyReleasedError(),
    ];
    for (const outage of outages) {
      expect(toProblem(outage, 'c')).toMatchObject({ retryAfterSeconds: 2, isServerFault: true, body: { status: 503, code: 'SERVICE.UNAVAILABLE' } });
    }
  });

  it('keeps other database errors 500 INTERNAL', () => {
    const unique = Object.assign(new Error('Query failed'), { driverError: Object.assign(new Error('duplicate key'), { code: '23505' }) });
    expect(toProblem(unique, 'c')).toMatchObject({ isServerFault: true, body: { status: 500, code: 'INTERNAL' } });
    expect(toProblem(unique, 'c').retryAfterSeconds).toBeUndefined();
  });

  it('hides the message of an internal DomainError', () => {
    const problem = toProblem(new DomainError('OUTBOX.BROKEN', 'internal', 'password=hunter2'), 'c');
    expect(problem.isServerFault).toBe(true);
    expect(problem.body.status).toBe(500);
    expect(problem.body.detail).not.toContain('hunter2');
  });

  it.each([
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 400, 'REQUEST.MALFORMED_JSON'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 400, 'REQUEST.MALFORMED_JSON'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 413, 'REQUEST.TOO_LARGE'],
  ])('maps Fastify %s to %i', (code, statusCode, status, problemCode) => {
    expect(toProblem(fastifyError(code, statusCode), 'c').body).toMatchObject({ status, code: problemCode });
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'), 'c').body).toMatchObject({
      status: 404,
      code: 'REQUEST.ROUTE_NOT_FOUND',
      detail: 'No such route.',
    });
    expect(toProblem(new BadRequestException('Validation failed (uuid is expected)'), 'c').body).toMatchObject({
      status: 400,
      code: 'REQUEST.BAD_REQUEST',
      detail: 'Validation failed (uuid is expected)',
    });
    expect(toProblem(new HttpException('teapot', 418), 'c').body.code).toBe('REQUEST.HTTP_418');
  });

  it('turns anything else into a 500 INTERNAL that reveals nothing', () => {
    for (const thrown of [new Error('db password is hunter2'), 'a string', { statusCode: 400 }, new HttpException('x', 502)]) {
      const problem = toProblem(thrown, 'c-9');
      expect(problem.isServerFault).toBe(true);
      expect(problem.body).toMatchObject({ status: 500, code: 'INTERNAL', correlationId: 'c-9' });
      expect(JSON.stringify(problem.body)).not.toContain('hunter2');
    }
  });
});
