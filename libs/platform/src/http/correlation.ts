import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { uuidv7 } from 'uuidv7';
import './request-context';

/** Header carrying the correlation id, read from requests and echoed on responses. */
export const CORRELATION_HEADER = 'x-correlation-id';

// A client-supplied id goes into logs and events: accept only a short, plain token so it
// cannot forge log lines or smuggle data; otherwise make a fresh one.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's correlation id if acceptable, else a new UUIDv7. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && ACCEPTABLE_ID.test(header) ? header : uuidv7();
}

/** Fastify `onRequest` step: sets `request.correlationId` and echoes it on the response. */
export function assignCorrelationId(request: FastifyRequest, reply: FastifyReply): void {
  const id = correlationIdFrom(request.headers[CORRELATION_HEADER]);
  request.correlationId = id;
  reply.header(CORRELATION_HEADER, id);
}

/** Handler parameter: the request's correlation id (to carry on the events it causes). */
export const CorrelationId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<FastifyRequest>().correlationId,
);
