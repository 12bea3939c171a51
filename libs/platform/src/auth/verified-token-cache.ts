import type { Caller } from './caller';

interface Entry {
  caller: Caller;
  /** Epoch ms after which the entry is not used. */
  until: number;
}

/**
 * Remembers tokens already verified, so a client that reuses its token (automations send
 * thousands of requests with one) costs a map lookup instead of a signature check. Only exact
 * token strings hit; an entry ends at the token's `exp` and at most `maxAgeMs` after it was
 * verified, which bounds how long a key removed from the JWKS keeps working. FIFO-bounded.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxAgeMs = 60_000,
  ) {}

  /** The caller of a verified, unexpired token, if remembered. */
  get(token: string, now = Date.now()): Caller | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.until <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.caller;
  }

  /** Remembers a verified token whose `exp` (epoch seconds) is `expiresAt`. */
  set(token: string, caller: Caller, expiresAt: number, now = Date.now()): void {
    const until = Math.min(expiresAt * 1000, now + this.maxAgeMs);
    if (until <= now || this.maxEntries <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { caller, until });
  }
}
