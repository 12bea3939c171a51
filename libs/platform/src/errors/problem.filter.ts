import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import '../http/request-context';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

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
    const reply = http.getResponse<FastifyReply>();
    const correlationId = request.correlationId || uuidv7();
    const problem = toProblem(exception, correlationId);

    if (problem.isServerFault) {
      this.logger.error({ err: exception, correlationId, method: request.method, url: request.url }, 'request failed');
    }
    if (reply.sent || reply.raw.headersSent) {
      return;
    }
    if (problem.retryAfterSeconds !== undefined && !reply.hasHeader('retry-after')) {
      reply.header('retry-after', String(problem.retryAfterSeconds));
    }
    if (problem.body.status === 401) {
      // RFC 6750: a 401 names the scheme the client should use.
      reply.header('www-authenticate', 'Bearer realm="watchfloor"');
    }
    void reply.status(problem.body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem.body);
  }
}
