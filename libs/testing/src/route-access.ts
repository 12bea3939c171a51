import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@watchfloor/contracts';
import { ROLES_EXTENSION, type HttpApp } from '@watchfloor/platform';
import { devToken } from './api-client';

/**
 * Function-level authorization (OWASP API5) and inventory (API9), per service: the table of
 * who may call what in docs/access.md is made from the service's OpenAPI document (which
 * `@Roles()` and `@Public()` write), every route × every role is tried against the running
 * service, and the routes the HTTP server answers are exactly the documented ones.
 */

/** Who may call an operation. */
export type Admits = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'roles'; roles: readonly Role[] };

export interface Operation {
  method: string;
  /** As the server routes it: `/v1/incidents/:id`. */
  path: string;
  summary: string;
  admits: Admits;
}

interface OpenApiOperation {
  summary?: string;
  security?: unknown[];
  [ROLES_EXTENSION]?: Role[];
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);
const ACCESS_DOC = join(__dirname, '..', '..', '..', 'docs', 'access.md');

/** The operations of an OpenAPI document, with who may call each. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.has(method))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        path: path.replace(/\{(\w+)\}/g, ':$1'),
        summary: operation.summary ?? '',
        admits: admitsOf(operation),
      })),
  );
}

function admitsOf(operation: OpenApiOperation): Admits {
  if (Array.isArray(operation.security) && operation.security.length === 0) return { kind: 'public' };
  const roles = operation[ROLES_EXTENSION];
  return roles && roles.length > 0 ? { kind: 'roles', roles } : { kind: 'signed-in' };
}

/** Whether `role` may call it (`admin` may call everything that is not public to all anyway). */
export function admitted(admits: Admits, role: Role): boolean {
  return admits.kind !== 'roles' || role === 'admin' || admits.roles.includes(role);
}

/**
 * Every method and path the service's HTTP server answers, read from Fastify's route tree
 * (HEAD, which Fastify adds beside each GET, left out).
 */
export function servedRoutes(app: HttpApp): Array<{ method: string; path: string }> {
  const tree = app.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const prefixes: string[] = [];
  const routes: Array<{ method: string; path: string }> = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (prefixes[depth - 1] ?? '') + (match[2] ?? '');
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) {
      if (method !== 'HEAD') routes.push({ method, path });
    }
  }
  return routes;
}

/** The service's section of docs/access.md. */
export function accessSection(service: string, operations: readonly Operation[]): string {
  const rows = [...operations]
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
    .map((op) => `| \`${op.method} ${op.path}\` | ${op.summary.replace(/\|/g, '\\|')} | ${ROLES.map((role) => (admitted(op.admits, role) ? 'yes' : '—')).join(' | ')} | ${op.admits.kind === 'public' ? 'yes' : '—'} |`);
  return [
    `<!-- access:${service} (made by the ${service} access test: WRITE_ACCESS_TABLE=1 npx jest apps/${service}/test/access) -->`,
    `### ${service}`,
    '',
    `| route | what | ${ROLES.join(' | ')} | no token |`,
    `|---|---|${ROLES.map(() => ':-:|').join('')}:-:|`,
    ...rows,
    `<!-- /access:${service} -->`,
  ].join('\n');
}

const sectionPattern = (service: string) => new RegExp(`<!-- access:${service} [\\s\\S]*?<!-- /access:${service} -->`);

/** The service's section as docs/access.md has it (undefined when missing). */
export function documentedSection(service: string): string | undefined {
  return sectionPattern(service).exec(readFileSync(ACCESS_DOC, 'utf8'))?.[0];
}

/** Replaces the service's section of docs/access.md (WRITE_ACCESS_TABLE=1). */
export function writeSection(service: string, section: string): void {
  const current = readFileSync(ACCESS_DOC, 'utf8');
  const next = sectionPattern(service).test(current) ? current.replace(sectionPattern(service), section) : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(ACCESS_DOC, next);
}

/** The answer to one try of an operation. */
export interface Attempt {
  status: number;
  code?: string;
  detail?: string;
}

/**
 * Calls the operation as a caller with `role` alone (or with no token): path parameters are
 * unknown ids and a body is empty, so an admitted caller meets a 404 or a validation error
 * and nothing changes.
 */
export async function attempt(url: string, operation: Operation, role: Role | undefined): Promise<Attempt> {
  const headers: Record<string, string> = {};
  if (role) headers.authorization = `Bearer ${await devToken({ roles: [role] })}`;
  const withBody = operation.method !== 'GET' && operation.method !== 'DELETE';
  if (withBody) headers['content-type'] = 'application/json';
  const path = operation.path.replace(/:\w+/g, () => randomUUID());
  const response = await fetch(`${url}${path}`, { method: operation.method, headers, ...(withBody ? { body: '{}' } : {}) });
  const type = response.headers.get('content-type') ?? '';
  // A stream (server-sent events) that was let in never ends: its status is the answer.
  if (type.includes('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status };
  }
  const text = await response.text();
  const problem = type.includes('json') ? safeJson(text) : undefined;
  return { status: response.status, ...(problem?.code ? { code: problem.code } : {}), ...(problem?.detail ? { detail: problem.detail } : {}) };
}

/** The guard's refusal for a role (other 403s, such as a jurisdiction out of scope, are not it). */
export function refusedForRole(answer: Attempt): boolean {
  return answer.status === 403 && answer.code === 'AUTH.FORBIDDEN' && (answer.detail ?? '').startsWith('This requires one of the roles');
}

function safeJson(text: string): { code?: string; detail?: string } | undefined {
  try {
    return JSON.parse(text) as { code?: string; detail?: string };
  } catch {
    return undefined;
  }
}
