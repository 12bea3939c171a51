import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/domain-error';

/** Deepest nesting of arrays and objects a JSON body may have; the deepest contract needs 4. */
export const MAX_JSON_DEPTH = 32;

/** 400 `REQUEST.TOO_DEEP`: the body nests deeper than {@link MAX_JSON_DEPTH}. */
export class JsonTooDeepError extends DomainError {
  constructor() {
    super('REQUEST.TOO_DEEP', 'bad_request', `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  }
}

/**
 * Whether `text` nests arrays and objects deeper than `limit` (brackets inside strings do not
 * count). One pass over the characters, no allocation: a few microseconds for a submission.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * Replaces Fastify's JSON parser by the same parser (prototype poisoning refused) behind a
 * depth check: validation and class-transformer recurse over a body, so a body of 20,000 `[`
 * exhausted the stack and answered 500.
 */
export function registerJsonDepthLimit(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (nestsDeeperThan(body as string, MAX_JSON_DEPTH)) {
      done(new JsonTooDeepError(), undefined);
      return;
    }
    // Fastify's own parser answers through `done` (its type allows a promise too).
    void parse(request, body as string, done);
  });
}
