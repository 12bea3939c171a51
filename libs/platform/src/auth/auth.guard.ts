import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@watchfloor/contracts';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../errors/domain-error';
import type { AuthResult } from '../http/request-context';
import { hasAnyRole } from './access';
import { IS_PUBLIC_KEY, ROLES_KEY } from './decorators';
import { TokenVerifier } from './token-verifier';

/**
 * The token check of a request, run at most once: the rate limiter (keying on `sub`) and the
 * guard both ask, and the verification is shared through the request.
 */
export function authenticateRequest(request: FastifyRequest, verifier: TokenVerifier): Promise<AuthResult> {
  request.authResult ??= verifier.authenticate(request.headers.authorization);
  return request.authResult;
}

/**
 * Global guard: every HTTP route needs a valid bearer token unless `@Public()`; `@Roles()`
 * narrows it further. Missing or invalid token -> 401, wrong role -> 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const result = await authenticateRequest(request, this.verifier);
    if (result.error) throw result.error;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && roles.length > 0 && !hasAnyRole(result.caller, roles)) {
      throw new ForbiddenError('AUTH.FORBIDDEN', `This requires one of the roles: ${roles.join(', ')}.`);
    }
    request.caller = result.caller;
    return true;
  }
}
