import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { CORRELATION_HEADER } from '../http/correlation';
import '../http/request-context';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, toProblem } from './problem';

/**
 * The one HTTP exception filter: everything thrown while serving a request (domain errors,
 * validation, Fastify's body errors, auth, rate limits, bugs) leaves as problem+json.
 * Server faults are logged with their stack; clients never see it.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      // Messaging has its own filter; never swallow what is not ours.
      throw exception;
    }
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply | ServerResponse>();
    const correlationId = request.correlationId || uuidv7();
    const problem = toProblem(exception, correlationId);

    if (problem.isServerFault) {
      this.logger.error({ err: exception, correlationId, method: request.method, url: request.url }, 'request failed');
    }
    const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
    if (problem.retryAfterSeconds !== undefined) headers['retry-after'] = String(problem.retryAfterSeconds);
    // RFC 6750: a 401 names the scheme the client should use.
    if (problem.body.status === 401) headers['www-authenticate'] = 'Bearer realm="watchfloor"';

    if (reply instanceof ServerResponse) {
      // Errors of Nest middleware come with the raw response, not a Fastify reply.
      sendRaw(reply, problem.body.status, { ...headers, [CORRELATION_HEADER]: correlationId }, problem.body);
      return;
    }
    if (reply.sent || reply.raw.headersSent) return;
    for (const [name, value] of Object.entries(headers)) {
      // A Retry-After set by the rate limiter stays as it is.
      if (!(name === 'retry-after' && reply.hasHeader(name))) reply.header(name, value);
    }
    void reply.status(problem.body.status).send(problem.body);
  }
}

function sendRaw(response: ServerResponse, status: number, headers: Record<string, string>, body: ProblemDetails): void {
  if (response.headersSent) return;
  response.writeHead(status, headers).end(JSON.stringify(body));
}
