import { json, startAudit, type AuditUnderTest } from './harness';
import { anIncidentFlow } from './incident-flow';

interface Page {
  items: Array<{ sequence: number; type: string; actor: string; incidentIds: string[]; withheld: boolean; event: unknown }>;
  nextCursor: string | null;
}

describe('audit API', () => {
  let audit: AuditUnderTest;
  let auditor: string;
  const amberFlow = anIncidentFlow();
  const redFlow = anIncidentFlow({ tlp: 'red' });
  const amberId = amberFlow[0]?.subject ?? '';
  const redId = redFlow[0]?.subject ?? '';

  beforeAll(async () => {
    audit = await startAudit();
    auditor = await audit.token({ roles: ['auditor'], clearance: 'amber' });
    await audit.publish([...amberFlow, ...redFlow]);
    await audit.waitForEntries(26);
  });
  afterAll(async () => {
    await audit.close();
  });

  it('answers 401 without a token and 403 to roles that may not read the log', async () => {
    expect((await audit.request('GET', '/v1/audit/entries')).status).toBe(401);
    const official = await audit.token({ roles: ['official'] });
    const triage = await audit.token({ roles: ['triage'], clearance: 'amber' });
    for (const path of ['/v1/audit/entries', '/v1/audit/verify', '/v1/audit/checkpoints', '/v1/audit/export', `/v1/audit/incidents/${amberId}/timeline`]) {
      const response = await audit.request('GET', path, { token: official });
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await audit.request('GET', '/v1/audit/verify', { token: triage })).status).toBe(403);
    expect((await audit.request('GET', `/v1/audit/incidents/${amberId}/timeline`, { token: triage })).status).toBe(200);
    const admin = await audit.token({ roles: ['admin'], clearance: 'red' });
    expect((await audit.request('GET', '/v1/audit/verify', { token: admin })).status).toBe(200);
  });

  it('pages through the log by sequence with an opaque cursor', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await json<Page>(audit.request('GET', `/v1/audit/entries?limit=7${cursor ? `&cursor=${cursor}` : ''}`, { token: auditor }));
      seen.push(...page.items.map((item) => item.sequence));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
  });

  it('filters by incident, type, actor and time', async () => {
    const byIncident = await json<Page>(audit.request('GET', `/v1/audit/entries?incidentId=${amberId}&limit=200`, { token: auditor }));
    // Its own events, the delivery that names it and the cluster it is in; not the subscription
    // change nor the failed delivery, which name no incident.
    expect(byIncident.items).toHaveLength(11);
    expect(byIncident.items.every((item) => item.incidentIds.includes(amberId))).toBe(true);
    const byType = await json<Page>(audit.request('GET', '/v1/audit/entries?type=watchfloor.incident.acknowledged.v1', { token: auditor }));
    expect(byType.items.map((item) => item.type)).toEqual(['watchfloor.incident.acknowledged.v1', 'watchfloor.incident.acknowledged.v1']);
    const byActor = await json<Page>(audit.request('GET', '/v1/audit/entries?actor=official-7&limit=200', { token: auditor }));
    expect(byActor.items).toHaveLength(4);
    const future = await json<Page>(audit.request('GET', `/v1/audit/entries?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, { token: auditor }));
    expect(future.items).toEqual([]);
    const past = await json<Page>(audit.request('GET', `/v1/audit/entries?until=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}&limit=200`, { token: auditor }));
    expect(past.items).toHaveLength(26);
  });

  it('withholds events above the caller\'s clearance but keeps their place and hashes', async () => {
    const page = await json<Page>(audit.request('GET', `/v1/audit/entries?incidentId=${redId}&type=watchfloor.incident.reported.v1`, { token: auditor }));
    expect(page.items).toEqual([expect.objectContaining({ withheld: true, event: null })]);
  });

  it('shows an incident\'s timeline in order, and answers 404 for one unknown or above the caller\'s clearance', async () => {
    const timeline = await json<Page & { incidentId: string }>(audit.request('GET', `/v1/audit/incidents/${amberId}/timeline?limit=200`, { token: auditor }));
    expect(timeline.incidentId).toBe(amberId);
    // The two streams are consumed independently, so only each stream's own order is fixed.
    const incidentEvents = timeline.items.filter((item) => item.type.startsWith('watchfloor.incident.'));
    expect(incidentEvents[0]?.type).toBe('watchfloor.incident.reported.v1');
    expect(incidentEvents.at(-1)?.type).toBe('watchfloor.incident.status_changed.v1');
    const sequences = timeline.items.map((item) => item.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    for (const id of [redId, '0193b0f4-6c1e-7d3a-9f5e-000000000000', 'not-an-id']) {
      const response = await audit.request('GET', `/v1/audit/incidents/${id}/timeline`, { token: auditor });
      expect({ id, status: response.status }).toEqual({ id, status: 404 });
      expect(await response.json()).toMatchObject({ code: 'AUDIT.INCIDENT_NOT_FOUND' });
    }
  });

  it('refuses bad queries with 400 naming the field', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['cursor=bm9wZQ', 'cursor'],
      ['type=watchfloor.incident.reported.v9', 'type'],
      ['incidentId=42', 'incidentId'],
      ['since=yesterday', 'since'],
      ['surprise=1', 'surprise'],
    ] as const) {
      const response = await audit.request('GET', `/v1/audit/entries?${query}`, { token: auditor });
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(await response.json()).toMatchObject({ errors: [expect.objectContaining({ field })] });
    }
  });

  it('is ready once its database, NATS and both audit consumers are there, and reports the chain length', async () => {
    expect((await audit.request('GET', '/health/ready')).status).toBe(200);
    expect(await (await audit.request('GET', '/metrics')).text()).toMatch(/^watchfloor_audit_chain_length\{[^}]*\} 26$/m);
  });

  it('documents its API in OpenAPI', async () => {
    const document = await json<{ paths: Record<string, unknown> }>(audit.request('GET', '/docs/json'));
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/audit/entries', '/v1/audit/incidents/{id}/timeline', '/v1/audit/verify', '/v1/audit/checkpoints', '/v1/audit/public-key', '/v1/audit/export']),
    );
  });

  it('serves the public key with the checkpoints', async () => {
    const key = await json<{ algorithm: string; keyId: string; base64: string; pem: string }>(audit.request('GET', '/v1/audit/public-key', { token: auditor }));
    expect(key).toMatchObject({ algorithm: 'Ed25519', keyId: expect.stringMatching(/^[0-9a-f]{16}$/), pem: expect.stringContaining('BEGIN PUBLIC KEY') });
    expect(Buffer.from(key.base64, 'base64')).toHaveLength(32);
  });
});
