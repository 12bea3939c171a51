/** What a breaker says about an attempt to a target. */
export type Admission = 'closed' | 'probe' | 'open';

interface TargetState {
  consecutiveFailures: number;
  openUntil?: number;
  probing: boolean;
}

/**
 * One circuit breaker per target (webhook origin, or the SMTP server). After `threshold`
 * consecutive failures the circuit opens: attempts to that target fail fast, without a
 * connection, so a dead endpoint costs neither time nor slots. After `cooldownMs` one probe
 * is let through; its success closes the circuit, its failure opens it again. In memory,
 * per replica: after a restart every circuit starts closed.
 */
export class CircuitBreakers {
  private readonly targets = new Map<string, TargetState>();

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  admit(target: string): Admission {
    const state = this.targets.get(target);
    if (!state?.openUntil) return 'closed';
    if (this.now() < state.openUntil || state.probing) return 'open';
    state.probing = true;
    return 'probe';
  }

  success(target: string): void {
    this.targets.delete(target);
  }

  failure(target: string): void {
    const state = this.targets.get(target) ?? { consecutiveFailures: 0, probing: false };
    state.consecutiveFailures += 1;
    if (state.probing || state.consecutiveFailures >= this.threshold) state.openUntil = this.now() + this.cooldownMs;
    state.probing = false;
    this.targets.set(target, state);
  }

  /** A manual retry gives the target another chance at once. */
  reset(target: string): void {
    this.targets.delete(target);
  }

  /** Targets whose circuit is open now (for metrics and logs). */
  openTargets(): string[] {
    const now = this.now();
    return [...this.targets.entries()].filter(([, s]) => s.openUntil !== undefined && now < s.openUntil).map(([target]) => target);
  }
}
