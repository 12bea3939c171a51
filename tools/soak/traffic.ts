import type { IncidentSubmission } from '@watchfloor/contracts';
import { aSubmission, type Random } from '@watchfloor/testing';
import { Floor } from './floor';

/** What the generator sent and what came back: the checker's "attempted" and "accepted". */
export interface TrafficLedger {
  /** By Idempotency-Key: every new report and automation submission attempted. */
  submissions: Map<string, Submission>;
  /** Repeats (same key and body) answered with another incident than the first answer. */
  repeatMismatches: string[];
  /** Automation re-sends (same source reference, new key) answered with another incident. */
  resendMismatches: string[];
  /** Updates answered 2xx, with the update id intake gave. */
  updates: Array<{ incidentId: string; updateId: string }>;
  /** Updates whose answer never came (the intake died holding them): at most one effect each. */
  updatesInDoubt: number;
  /** Triage actions by answer status (the floor's acknowledgements as `floor acknowledge <status>`). */
  actions: Map<string, number>;
  /** Requests by answer: `201`, `200`, `503`, `ECONNREFUSED`, ... */
  answers: Map<string, number>;
  /** Ticks skipped because too many requests were in flight. */
  notSent: number;
}

export interface Submission {
  kind: 'report' | 'automation';
  body: IncidentSubmission;
  /** The incident id of the first 201 (undefined while none came). */
  incidentId?: string;
}

/** What the generator calls. */
export interface TrafficTargets {
  intakes: readonly string[];
  triages: readonly string[];
  tokens: { official: string; automation: string; triage: string };
  /** Mean seconds before the floor acknowledges an accepted incident (0: only the mix's random actions acknowledge). */
  floorAckMeanS: number;
}

const MIX = { report: 50, repeat: 10, automation: 10, resend: 5, update: 15, action: 10 } as const;
const MAX_IN_FLIGHT = 64;
const ATTEMPTS = 8;

// Swing states' counties: incidents land on several state subjects.
const PLACES = ['ga/county:fulton', 'ga/county:cobb', 'pa/county:philadelphia', 'pa/county:allegheny', 'az/county:maricopa', 'mi/county:wayne', 'wi/county:dane', 'nv/county:clark'].map(
  (place) => `ocd-division/country:us/state:${place}`,
);

/**
 * Election-day traffic at a fixed rate (open loop): new reports, repeats with the same
 * Idempotency-Key, an automation's submissions and re-sends with the same source reference,
 * updates, triage officers acknowledging, assigning and moving incidents, and the floor
 * acknowledging every incident in a while ({@link Floor}). Each report has
 * an observable of its own, so none correlate and the events each causes are known.
 */
export class Traffic {
  readonly ledger: TrafficLedger = {
    submissions: new Map(),
    repeatMismatches: [],
    resendMismatches: [],
    updates: [],
    updatesInDoubt: 0,
    actions: new Map(),
    answers: new Map(),
    notSent: 0,
  };
  private inFlight = new Set<Promise<void>>();
  private sequence = 0;
  /** Submissions answered with an incident, and those of them the automation made. */
  private readonly answered: Array<[string, Submission]> = [];
  private readonly automated: Submission[] = [];
  private readonly floor: Floor;

  constructor(
    private readonly run: string,
    private readonly random: Random,
    private readonly targets: TrafficTargets,
  ) {
    let turn = 0;
    this.floor = new Floor(random, targets.floorAckMeanS, async (path) => {
      const triage = targets.triages[turn++ % targets.triages.length] as string;
      return (await this.request(`${triage}${path}`, targets.tokens.triage, {})).status;
    });
  }

  /** Sends at `rate` per second for `seconds`, then waits for the answers still due. */
  async drive(rate: number, seconds: number): Promise<void> {
    const started = Date.now();
    for (let tick = 0; tick < rate * seconds; tick++) {
      const due = started + (tick * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (this.inFlight.size >= MAX_IN_FLIGHT) {
        this.ledger.notSent += 1;
        continue;
      }
      const task: Promise<void> = this.once().finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
    }
    await Promise.all([...this.inFlight]);
    await this.floor.stop();
    for (const [status, n] of this.floor.outcomes) this.ledger.actions.set(`floor acknowledge ${status}`, n);
  }

  private async once(): Promise<void> {
    const kind = this.answered.length === 0 ? 'report' : this.random.weighted(MIX);
    const n = this.sequence++;
    switch (kind) {
      case 'report':
        return this.submit(`${this.run}-r${n}`, 'report', this.report(n));
      case 'automation':
        return this.submit(`${this.run}-a${n}`, 'automation', { ...this.report(n), source: { system: 'soak-siem', reference: `${this.run}-case-${n}` } });
      case 'repeat': {
        const [key, first] = this.random.pick(this.answered);
        const id = await this.post(this.targets.tokens[first.kind === 'report' ? 'official' : 'automation'], key, first.body, n);
        if (id && id !== first.incidentId) this.ledger.repeatMismatches.push(key);
        return;
      }
      case 'resend': {
        if (this.automated.length === 0) return;
        const first = this.random.pick(this.automated);
        const id = await this.post(this.targets.tokens.automation, `${this.run}-s${n}`, { ...first.body, description: `${first.body.description} (re-sent ${n})` }, n);
        if (id && id !== first.incidentId) this.ledger.resendMismatches.push(first.incidentId ?? '');
        return;
      }
      case 'update':
        return this.update(this.random.pick(this.answered)[1], n);
      case 'action':
        return this.act(this.random.pick(this.answered)[1].incidentId as string, n);
    }
  }

  private report(n: number): IncidentSubmission {
    return aSubmission({
      title: `Phishing wave, report ${n}`,
      jurisdiction: PLACES[n % PLACES.length] as string,
      detectedAt: new Date().toISOString(),
      observables: [{ type: 'domain', value: `sos-verify-${this.run}-${n}.com` }],
    });
  }

  private async submit(key: string, kind: Submission['kind'], body: IncidentSubmission): Promise<void> {
    const submission: Submission = { kind, body };
    this.ledger.submissions.set(key, submission);
    const id = await this.post(this.targets.tokens[kind === 'report' ? 'official' : 'automation'], key, body, this.sequence);
    if (!id) return;
    submission.incidentId = id;
    this.floor.take(id);
    this.answered.push([key, submission]);
    if (kind === 'automation') this.automated.push(submission);
  }

  /**
   * Posts a submission as a careful client does: on a dead intake or a 5xx, the same key and
   * body again to the next intake. The incident id of a 2xx, or undefined.
   */
  private async post(token: string, key: string, body: IncidentSubmission, n: number): Promise<string | undefined> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const intake = this.targets.intakes[(n + attempt) % this.targets.intakes.length] as string;
      const answer = await this.request(`${intake}/v1/incidents`, token, body, { 'idempotency-key': key });
      if (answer.ok) return (answer.body as { id: string }).id;
      if (typeof answer.status === 'number' && answer.status < 500) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
    }
    return undefined;
  }

  private async update(submission: Submission, n: number): Promise<void> {
    const token = this.targets.tokens[submission.kind === 'report' ? 'official' : 'automation'];
    const intake = this.targets.intakes[n % this.targets.intakes.length] as string;
    const answer = await this.request(`${intake}/v1/incidents/${submission.incidentId}/updates`, token, { note: `Update ${n}: more poll workers received it.` });
    if (answer.ok) this.ledger.updates.push({ incidentId: submission.incidentId as string, updateId: (answer.body as { updateId: string }).updateId });
    else if (typeof answer.status !== 'number' || answer.status >= 500) this.ledger.updatesInDoubt += 1;
  }

  private async act(incidentId: string, n: number): Promise<void> {
    const triage = this.targets.triages[n % this.targets.triages.length] as string;
    const action = this.random.pick(['acknowledge', 'assign', 'status'] as const);
    const body = action === 'assign' ? { assignee: `analyst-${n % 3}` } : action === 'status' ? { to: 'investigating' } : {};
    const answer = await this.request(`${triage}/v1/incidents/${incidentId}/${action}`, this.targets.tokens.triage, body);
    const key = `${action} ${answer.status}`;
    this.ledger.actions.set(key, (this.ledger.actions.get(key) ?? 0) + 1);
  }

  private async request(url: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<{ ok: boolean; status: number | string; body?: unknown }> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      this.count(String(response.status));
      return { ok: response.ok, status: response.status, body: text ? JSON.parse(text) : undefined };
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      this.count(code);
      return { ok: false, status: code };
    }
  }

  private count(answer: string): void {
    this.ledger.answers.set(answer, (this.ledger.answers.get(answer) ?? 0) + 1);
  }
}
