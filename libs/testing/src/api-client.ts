import type { Role, Tlp } from '@watchfloor/contracts';
import { DEV_AUTH_SECRET, signDevToken } from '@watchfloor/platform';
import { aCaller } from './factories';

/** Options of one {@link ApiRequest}: a bearer token, a JSON body (a string is sent as is), headers. */
export interface ApiRequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** `fetch` against one service. */
export type ApiRequest = (method: string, path: string, options?: ApiRequestOptions) => Promise<Response>;

/** Requests to the service at `baseUrl`, with a bearer token and JSON bodies made for you. */
export function apiClient(baseUrl: string): ApiRequest {
  return (method, path, options = {}) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
}

/** A JSON response body, typed by the test that reads it. */
export async function json<T = Record<string, unknown>>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}

/** Claims of a test caller (see `aCaller`). */
export type CallerClaims = { role?: Role; roles?: Role[]; sub?: string; jurisdiction?: string; clearance?: Tlp; org?: string; name?: string };

/** A development token, valid for an hour, for a caller with these claims. */
export function devToken(claims?: CallerClaims): Promise<string> {
  return signDevToken(aCaller(claims), DEV_AUTH_SECRET, '1h');
}
