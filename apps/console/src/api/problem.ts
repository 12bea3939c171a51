/** One field the API refused, as problem+json names it (`observables[2].value`). */
export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem answered by a service (API.md, Errors). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly code: string | undefined,
    readonly errors: FieldError[],
  ) {
    super(detail ?? title);
    this.name = 'ApiProblem';
  }

  /** The response's problem, or a plain one when the body is not problem+json (a proxy's 502, say). */
  static async from(response: Response): Promise<ApiProblem> {
    const body: unknown = await response.json().catch(() => undefined);
    if (!isRecord(body)) return new ApiProblem(response.status, response.statusText || `HTTP ${response.status}`, undefined, undefined, []);
    const errors = Array.isArray(body['errors']) ? body['errors'].filter(isFieldError) : [];
    return new ApiProblem(
      response.status,
      typeof body['title'] === 'string' ? body['title'] : `HTTP ${response.status}`,
      typeof body['detail'] === 'string' ? body['detail'] : undefined,
      typeof body['code'] === 'string' ? body['code'] : undefined,
      errors,
    );
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFieldError(value: unknown): value is FieldError {
  return isRecord(value) && typeof value['field'] === 'string' && typeof value['message'] === 'string';
}
