import { ApiProblem } from './problem';

/** The services, each under `/api/<service>/` (the dev proxy, compose and the ingress route them). */
export type Service = 'intake' | 'triage' | 'notification' | 'audit';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A successful answer: its JSON body and the headers the console reads (ETag). */
export interface ApiResponse<T> {
  body: T;
  etag: string | null;
  status: number;
}

/** Calls a service's API with the signed-in caller's token; a non-2xx answer throws its {@link ApiProblem}. */
export async function callApi<T>(service: Service, path: string, token: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api/${service}${path}`, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (!response.ok) throw await ApiProblem.from(response);
  // 204 (a delete) has no body.
  const body = response.status === 204 ? undefined : ((await response.json()) as T);
  return { body: body as T, etag: response.headers.get('etag'), status: response.status };
}

/** `?a=1&b=2` of the defined, non-empty values ('' when none). */
export function queryString(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
