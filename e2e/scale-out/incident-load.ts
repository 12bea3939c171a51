import type { IncidentSubmission } from '@watchfloor/contracts';
import { aSubmission } from '@watchfloor/testing';

// Swing states and some of their counties: incidents land on several state subjects.
const COUNTIES: Record<string, readonly string[]> = {
  ga: ['fulton', 'cobb', 'dekalb', 'gwinnett'],
  pa: ['philadelphia', 'allegheny', 'bucks'],
  az: ['maricopa', 'pima'],
  mi: ['wayne', 'oakland', 'kent'],
  wi: ['milwaukee', 'dane'],
  nv: ['clark', 'washoe'],
};
const PLACES = Object.entries(COUNTIES).flatMap(([state, counties]) => counties.map((county) => `ocd-division/country:us/state:${state}/county:${county}`));

/**
 * The n-th incident of a run: its own county (round robin) and its own observable, so no
 * two incidents correlate and each makes exactly one report and one triage.
 */
export function nthSubmission(run: string, n: number): IncidentSubmission {
  return aSubmission({
    title: `Phishing wave, report ${n}`,
    jurisdiction: PLACES[n % PLACES.length] as string,
    observables: [{ type: 'domain', value: `sos-verify-${run}-${n}.com` }],
  });
}

/** What posting a batch of incidents came to. */
export interface LoadOutcome {
  /** Incident id by submission number, for every 201. */
  accepted: Map<number, string>;
  /** Submissions that needed more than one attempt. */
  retried: number;
  /** Attempts whose connection was refused (sent to an intake already dead). */
  refusedConnections: number;
  /** Attempts lost in flight: the intake died holding the request, or answered 5xx. */
  lostInFlight: number;
  /** Refused for good: not 201 after every attempt (should be none). */
  refused: Array<{ n: number; status: number | string }>;
}

/** Settings of {@link postIncidents}. */
export interface LoadOptions {
  run: string;
  count: number;
  /** Intake processes' base URLs; submission n goes to intake n % length first. */
  intakes: readonly string[];
  token: string;
  /** Requests in flight at once. */
  concurrency: number;
  /** Called after each 201, with how many were accepted so far. */
  onAccepted?: (accepted: number) => void;
}

const MAX_ATTEMPTS = 10;

/**
 * Posts `count` incidents over the intakes with `concurrency` requests in flight. Every
 * submission has an Idempotency-Key, so a request whose intake died under it (a network
 * error or a 5xx) is sent again, to the next intake, as a careful client would: the same
 * key and body give the incident that intake may already have committed, never a second one.
 */
export async function postIncidents(options: LoadOptions): Promise<LoadOutcome> {
  const outcome: LoadOutcome = { accepted: new Map(), retried: 0, refusedConnections: 0, lostInFlight: 0, refused: [] };
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < options.count; n = next++) {
      const body = JSON.stringify(nthSubmission(options.run, n));
      let last: number | string = 'not sent';
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const intake = options.intakes[(n + attempt) % options.intakes.length] as string;
        try {
          const response = await fetch(`${intake}/v1/incidents`, {
            method: 'POST',
            headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json', 'idempotency-key': `${options.run}-${n}` },
            body,
          });
          last = response.status;
          if (response.status === 201) {
            outcome.accepted.set(n, ((await response.json()) as { id: string }).id);
            if (attempt > 0) outcome.retried += 1;
            options.onAccepted?.(outcome.accepted.size);
            break;
          }
          await response.arrayBuffer();
          // A 4xx will not change on another try: the submission itself is wrong.
          if (response.status < 500) break;
          outcome.lostInFlight += 1;
        } catch (error) {
          const code = (error as { cause?: { code?: string } }).cause?.code;
          last = code ?? (error as Error).message;
          if (code === 'ECONNREFUSED') outcome.refusedConnections += 1;
          else outcome.lostInFlight += 1;
        }
      }
      if (!outcome.accepted.has(n)) outcome.refused.push({ n, status: last });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcome;
}
