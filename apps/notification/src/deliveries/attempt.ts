/** How one attempt to deliver went. */
export type AttemptResult =
  | { ok: true; httpStatus?: number }
  | {
      ok: false;
      /** False when retrying cannot help (4xx other than 429, a refused target, an SMTP 5xx). */
      retryable: boolean;
      /** Why, without secrets or response bodies. */
      error: string;
      httpStatus?: number;
      /** The receiver's `Retry-After`, in ms. */
      retryAfterMs?: number;
      /** True when the fault says nothing about the target's health (it was never contacted). */
      notTargetFault?: boolean;
    };
