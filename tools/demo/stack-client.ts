import { BaseEnv, loadConfig, signDevToken } from '@watchfloor/platform';
import { expectEventually } from '@watchfloor/testing';

// Where the services of `npm start` listen: 3001-3004, or from WATCHFLOOR_PORT_BASE as `npm start` does.
const PORT_BASE = Number(process.env['WATCHFLOOR_PORT_BASE'] ?? 3000);
const local = (offset: number) => `http://127.0.0.1:${PORT_BASE + offset}`;

/** The services' base URLs (each can be given: INTAKE_URL, TRIAGE_URL, NOTIFICATION_URL, AUDIT_URL). */
export const SERVICE_URLS = {
  intake: process.env['INTAKE_URL'] ?? local(1),
  triage: process.env['TRIAGE_URL'] ?? local(2),
  notification: process.env['NOTIFICATION_URL'] ?? local(3),
  audit: process.env['AUDIT_URL'] ?? local(4),
};
export type ServiceName = keyof typeof SERVICE_URLS;

/** A person or system of the demo: a development token for their role, jurisdiction and clearance. */
export interface Persona {
  sub: string;
  name: string;
  role: 'official' | 'automation' | 'triage' | 'partner' | 'auditor' | 'admin';
  jurisdiction: string;
  clearance: 'clear' | 'green' | 'amber' | 'red';
  org: string;
}

/** A call's answer: status and parsed JSON body. */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Calls the stack's APIs as personas, with tokens signed by the stack's development secret. */
export class StackClient {
  private readonly tokens = new Map<string, Promise<string>>();
  private readonly secret = loadConfig(BaseEnv, process.env).AUTH_DEV_SECRET;

  async call<T = Record<string, unknown>>(as: Persona, service: ServiceName, method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const response = await fetch(`${SERVICE_URLS[service]}${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.token(as)}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  /** Like {@link call}, but an unexpected status stops the demo with the problem the service gave. */
  async expect<T = Record<string, unknown>>(status: number, as: Persona, service: ServiceName, method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.call<T>(as, service, method, path, body);
    if (answer.status !== status) {
      throw new Error(`${method} ${service}${path} answered ${answer.status}, expected ${status}: ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }

  private token(as: Persona): Promise<string> {
    let token = this.tokens.get(as.sub);
    if (!token) {
      const { role, ...claims } = as;
      token = signDevToken({ ...claims, roles: [role] }, this.secret, '2h');
      this.tokens.set(as.sub, token);
    }
    return token;
  }
}

/** True when every service answers `/health/ready`. */
export async function stackIsReady(): Promise<ServiceName[]> {
  const down: ServiceName[] = [];
  for (const [name, url] of Object.entries(SERVICE_URLS) as Array<[ServiceName, string]>) {
    const ok = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (!ok) down.push(name);
  }
  return down;
}

/** Polls `probe` until it returns a value, or fails with `what` after `timeoutMs`. */
export function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  return expectEventually(
    async () => {
      const value = await probe();
      if (value === undefined) throw new Error(`gave up waiting for ${what} after ${Math.round(timeoutMs / 1000)} s`);
      return value;
    },
    { timeoutMs, intervalMs: 250 },
  );
}
