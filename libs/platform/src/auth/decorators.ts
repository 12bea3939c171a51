import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension, DECORATORS } from '@nestjs/swagger';
import type { Role } from '@watchfloor/contracts';
import type { FastifyRequest } from 'fastify';
import '../http/request-context';
import type { Caller } from './caller';

/** Metadata key of {@link Public}. */
export const IS_PUBLIC_KEY = 'watchfloor:public';
/** Metadata key of {@link Roles}. */
export const ROLES_KEY = 'watchfloor:roles';

/**
 * The route needs no token (health, metrics, docs). Everything else does. The OpenAPI
 * document says so too (`security: []`), overriding the global bearer requirement.
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), SetMetadata(DECORATORS.API_SECURITY, []));

/** OpenAPI extension naming the roles a route admits (`admin` passes too): docs/access.md is made from it. */
export const ROLES_EXTENSION = 'x-roles';

/**
 * The caller must hold one of these roles (`admin` always passes); otherwise 403. The
 * OpenAPI document names them on the operation ({@link ROLES_EXTENSION}).
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension(ROLES_EXTENSION, roles));

/**
 * The verified {@link Caller} of the request. Only on routes that are not `@Public()`: the
 * guard has put it there, so it is always defined where it can be used.
 */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<FastifyRequest>().caller;
  if (!caller) {
    // A programming error (decorator on a public route), not a client one: a 500 is right.
    throw new Error('@CurrentCaller() used on a route without authentication');
  }
  return caller;
});
