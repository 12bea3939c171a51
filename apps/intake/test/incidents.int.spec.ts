import { aSourceReference, aSubmission, expectEventually, FULTON, GEORGIA } from '@watchfloor/testing';
import { eventOf, type IntakeUnderTest, json, type Receipt, startIntake } from './harness';

const WISCONSIN = 'ocd-division/country:us/state:wi';

describe('intake: submitting and following incidents', () => {
  let intake: IntakeUnderTest;
  let official: string;

  beforeAll(async () => {
    intake = await startIntake();
    official = await intake.token({ sub: 'clerk-fulton', jurisdiction: GEORGIA, org: 'fulton-elections' });
  });
  afterAll(() => intake.close());

  const submit = (body: unknown, token = official, headers: Record<string, string> = {}) =>
    intake.request('POST', '/v1/incidents', { token, body, headers });

  it('accepts a submission with a receipt, and publishes incident.reported with Nats-Msg-Id = event id', async () => {
    const response = await submit(aSubmission(), official, { 'x-correlation-id': 'corr-phish-1' });
    expect(response.status).toBe(201);
    const receipt = await json<Receipt>(response);
    expect(receipt).toEqual({ id: expect.any(String), reference: expect.stringMatching(/^WF-\d{4}-\d{6}$/), status: 'received', receivedAt: expect.any(String) });
    expect(response.headers.get('location')).toBe(`/v1/incidents/${receipt.id}`);
    expect(response.headers.get('x-correlation-id')).toBe('corr-phish-1');

    const message = await expectEventually(async () => {
      const found = (await intake.streamMessages()).find((m) => eventOf(m).subject === receipt.id);
      if (!found) throw new Error('incident.reported not on the stream yet');
      return found;
    });
    const event = eventOf(message);
    expect(message.subject).toBe(`${intake.nats.namespace}.incident.reported.ga`);
    expect(message.header?.get('Nats-Msg-Id')).toBe(event.id);
    expect(message.header?.get('tlp')).toBe('amber');
    expect(message.header?.get('jurisdiction')).toBe(FULTON);
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'watchfloor.incident.reported.v1',
      source: '/watchfloor/intake',
      correlationid: 'corr-phish-1',
      jurisdiction: FULTON,
      tlp: 'amber',
    });
    expect(event.data).toMatchObject({
      incidentId: receipt.id,
      reference: receipt.reference,
      version: 1,
      submittedBy: { sub: 'clerk-fulton', org: 'fulton-elections' },
      submission: {
        title: aSubmission().title,
        category: 'phishing',
        jurisdiction: FULTON,
        // normalised: lower-case e-mail, E.164 phone
        observables: [{ type: 'domain', value: 'sos-georgia-verify.com' }, { type: 'email', value: 'elections@sos-georgia-verify.com' }],
        reporter: { name: 'Dana Clerk', phone: '+14045550100' },
      },
    });
  });

  it('lets the submitter follow the incident, and hides it from other jurisdictions', async () => {
    const { id } = await json<Receipt>(submit(aSubmission()));
    const own = await intake.request('GET', `/v1/incidents/${id}`, { token: official });
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ id, status: 'received', priority: null, acknowledgedAt: null, history: [{ status: 'received' }], updates: [] });

    const wisconsin = await intake.token({ jurisdiction: WISCONSIN });
    const hidden = await intake.request('GET', `/v1/incidents/${id}`, { token: wisconsin });
    expect(hidden.status).toBe(404);
    expect(await hidden.json()).toMatchObject({ code: 'INCIDENT.NOT_FOUND' });

    const triage = await intake.token({ role: 'triage', jurisdiction: 'ocd-division/country:us' });
    expect((await intake.request('GET', `/v1/incidents/${id}`, { token: triage })).status).toBe(200);
  });

  it('shows a TLP:RED incident to its submitter but not to a colleague cleared for amber', async () => {
    const { id } = await json<Receipt>(submit(aSubmission({ tlp: 'red' })));
    expect((await intake.request('GET', `/v1/incidents/${id}`, { token: official })).status).toBe(200);
    const colleague = await intake.token({ jurisdiction: GEORGIA, clearance: 'amber' });
    expect((await intake.request('GET', `/v1/incidents/${id}`, { token: colleague })).status).toBe(404);
    const list = await json<{ items: Receipt[] }>(intake.request('GET', '/v1/incidents?limit=200', { token: colleague }));
    expect(list.items.map((item) => item.id)).not.toContain(id);
  });

  it('refuses a submission outside the caller’s jurisdiction with 403, writing nothing', async () => {
    const before = await intake.counts();
    const response = await submit(aSubmission({ jurisdiction: `${WISCONSIN}/place:madison` }));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'INCIDENT.JURISDICTION_FORBIDDEN' });
    expect(await intake.counts()).toEqual(before);
  });

  it('lists the caller’s jurisdiction newest first, page by page', async () => {
    const county = `${GEORGIA}/county:cobb`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await json<Receipt>(submit(aSubmission({ jurisdiction: county, title: `Cobb ${i}` })))).id);
    const first = await json<{ items: Receipt[]; nextCursor: string | null }>(intake.request('GET', `/v1/incidents?jurisdiction=${encodeURIComponent(county)}&limit=2`, { token: official }));
    expect(first.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await json(intake.request('GET', `/v1/incidents?jurisdiction=${encodeURIComponent(county)}&limit=2&cursor=${first.nextCursor}`, { token: official }));
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });

    const outside = await intake.request('GET', `/v1/incidents?jurisdiction=${encodeURIComponent(WISCONSIN)}`, { token: official });
    expect(outside.status).toBe(403);
  });

  describe('Idempotency-Key', () => {
    it('answers the same 201 for the same key and body, and stores one incident and one event', async () => {
      const body = aSubmission({ title: 'Idempotent report' });
      const first = await submit(body, official, { 'idempotency-key': 'retry-42' });
      const before = await intake.counts();
      const again = await submit(body, official, { 'idempotency-key': 'retry-42' });
      expect(again.status).toBe(201);
      expect(await again.json()).toEqual(await first.json());
      const after = await intake.counts();
      expect(after.incidents).toBe(before.incidents);
      expect(after.outbox).toBe(before.outbox);
    });

    it('answers 422 for the same key with another body, changing nothing', async () => {
      await submit(aSubmission({ title: 'First body' }), official, { 'idempotency-key': 'retry-43' });
      const before = await intake.counts();
      const response = await submit(aSubmission({ title: 'Other body' }), official, { 'idempotency-key': 'retry-43' });
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ code: 'INCIDENT.IDEMPOTENCY_KEY_REUSED' });
      expect(await intake.counts()).toEqual(before);
    });

    it('in a group commit with others, a repeated key is answered alone and the rest commit once each', async () => {
      const stored = aSubmission({ title: 'Stored before the burst' });
      const original = await json<Receipt>(submit(stored, official, { 'idempotency-key': 'burst-repeat' }));
      const before = await intake.counts();
      const fresh = Array.from({ length: 20 }, (_, i) => submit(aSubmission({ title: `Burst ${i}` }), official, { 'idempotency-key': `burst-${i}` }));
      const sameAgain = submit(stored, official, { 'idempotency-key': 'burst-repeat' });
      const otherBody = submit(aSubmission({ title: 'Another body' }), official, { 'idempotency-key': 'burst-repeat' });
      const answers = await Promise.all(fresh.map((response) => json<Receipt>(response)));

      await expect(json<Receipt>(sameAgain)).resolves.toEqual(original);
      const refused = await otherBody;
      expect(refused.status).toBe(422);
      expect(new Set(answers.map((receipt) => receipt.reference)).size).toBe(20);
      const after = await intake.counts();
      expect(after).toEqual({ incidents: before.incidents + 20, outbox: before.outbox + 20, messages: before.messages + 20 });
      const { rows } = await intake.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM intake.incident WHERE id = ANY($1::uuid[])', [answers.map((receipt) => receipt.id)]);
      expect(rows).toEqual([{ n: 20 }]);
    });

    it('keeps keys per caller', async () => {
      const other = await intake.token({ jurisdiction: GEORGIA });
      const mine = await json<Receipt>(submit(aSubmission(), official, { 'idempotency-key': 'shared-key' }));
      const theirs = await json<Receipt>(submit(aSubmission(), other, { 'idempotency-key': 'shared-key' }));
      expect(theirs.id).not.toBe(mine.id);
      expect(theirs.reference).not.toBe(mine.reference);
    });

    it('tells another caller nothing about a key someone else used: their other body is a new incident, not a 422', async () => {
      const other = await intake.token({ sub: 'clerk-cobb', jurisdiction: GEORGIA });
      const mine = await json<Receipt>(submit(aSubmission({ title: 'Mine' }), official, { 'idempotency-key': 'guessable-key' }));
      const response = await submit(aSubmission({ title: 'Theirs' }), other, { 'idempotency-key': 'guessable-key' });
      expect(response.status).toBe(201);
      expect((await json<Receipt>(response)).id).not.toBe(mine.id);
    });
  });

  describe('the same source.reference', () => {
    it('from another organisation is another incident: never merged into theirs, nothing of theirs shown (OWASP API6)', async () => {
      const source = aSourceReference('shared-siem');
      const first = await json<Receipt>(submit(aSubmission({ source, title: 'Fulton SIEM alert', tlp: 'red' })));
      const stateOffice = await intake.token({ sub: 'sos-automation', jurisdiction: GEORGIA, org: 'ga-sos', role: 'automation' });
      const statesReport = aSubmission({ source, title: 'State SIEM alert' });
      const response = await submit(statesReport, stateOffice);
      expect(response.status).toBe(201);
      const theirs = await json<Receipt>(response);
      expect(theirs.id).not.toBe(first.id);
      // Sent again by that organisation, it is its own incident that answers.
      expect(await json(submit(statesReport, stateOffice))).toMatchObject({ id: theirs.id, version: 1 });
      expect(await json(intake.request('GET', `/v1/incidents/${first.id}`, { token: official }))).toMatchObject({ title: 'Fulton SIEM alert', version: 1 });
    });

    it('from a colleague who may not see the incident is a 409 that shows and changes nothing', async () => {
      const source = aSourceReference('fulton-soar');
      const first = await json<Receipt>(submit(aSubmission({ source, title: 'Red report', tlp: 'red' })));
      const colleague = await intake.token({ sub: 'clerk-fulton-2', jurisdiction: GEORGIA, org: 'fulton-elections', clearance: 'green' });
      const response = await submit(aSubmission({ source, title: 'Overwritten?' }), colleague);
      expect(response.status).toBe(409);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ code: 'INCIDENT.SOURCE_REFERENCE_CONFLICT' });
      expect(text).not.toContain(first.id);
      expect(await json(intake.request('GET', `/v1/incidents/${first.id}`, { token: official }))).toMatchObject({ title: 'Red report', version: 1 });
    });

    it('is the same incident: 200 with it, and incident.updated only when something changed', async () => {
      const first = aSubmission({ source: aSourceReference('ga-soar') });
      const created = await json<Receipt>(submit(first));

      const same = await submit(first);
      expect(same.status).toBe(200);
      expect(await same.json()).toMatchObject({ id: created.id, version: 1 });

      const changed = await submit(aSubmission({ ...first, title: 'Phishing wave now hitting three counties', observables: [{ type: 'ipv4', value: '203.0.113.7' }] }));
      expect(changed.status).toBe(200);
      const incident = await json<{ observables: unknown[] }>(changed);
      expect(incident).toMatchObject({ id: created.id, version: 2, title: 'Phishing wave now hitting three counties' });
      expect(incident.observables).toContainEqual({ type: 'ipv4', value: '203.0.113.7' });

      const updates = await expectEventually(async () => {
        const found = (await intake.streamMessages()).map(eventOf).filter((e) => e.subject === created.id && e.type === 'watchfloor.incident.updated.v1');
        if (found.length === 0) throw new Error('no incident.updated yet');
        return found;
      });
      expect(updates).toHaveLength(1);
      expect(updates[0]?.data).toMatchObject({
        incidentId: created.id,
        version: 2,
        origin: 'resubmission',
        changes: { title: 'Phishing wave now hitting three counties' },
        observables: [{ type: 'ipv4', value: '203.0.113.7' }],
      });
    });
  });

  describe('updates', () => {
    it('adds information as the next version and announces it', async () => {
      const { id } = await json<Receipt>(submit(aSubmission()));
      const response = await intake.request('POST', `/v1/incidents/${id}/updates`, {
        token: official,
        body: { note: 'Two more poll workers clicked the link.', affectedAssets: ['personnel'] },
      });
      expect(response.status).toBe(201);
      const { updateId } = await json<{ updateId: string }>(response);
      const incident = await json<{ affectedAssets: string[] }>(intake.request('GET', `/v1/incidents/${id}`, { token: official }));
      expect(incident).toMatchObject({ version: 2, updates: [{ id: updateId, note: 'Two more poll workers clicked the link.' }] });
      expect(incident.affectedAssets).toContain('personnel');
      await expectEventually(async () => {
        const event = (await intake.streamMessages()).map(eventOf).find((e) => e.type === 'watchfloor.incident.updated.v1' && e.subject === id);
        expect(event?.data).toMatchObject({ updateId, version: 2, origin: 'update', affectedAssets: ['personnel'] });
      });
    });

    it('records an update that adds nothing new, but announces nothing', async () => {
      const body = aSubmission();
      const { id } = await json<Receipt>(submit(body));
      const before = await intake.counts();
      const response = await intake.request('POST', `/v1/incidents/${id}/updates`, { token: official, body: { observables: [body.observables[0]] } });
      expect(response.status).toBe(201);
      expect(await intake.counts()).toEqual(before);
      expect(await json<{ version: number; updates: unknown[] }>(intake.request('GET', `/v1/incidents/${id}`, { token: official }))).toMatchObject({ version: 1, updates: [expect.anything()] });
    });

    it('with an Idempotency-Key, the same update sent again (even at once) answers the same 201 and adds it once; another body under that key is a 422', async () => {
      const { id } = await json<Receipt>(submit(aSubmission()));
      const send = (body: unknown, key: string) => intake.request('POST', `/v1/incidents/${id}/updates`, { token: official, body, headers: { 'idempotency-key': key } });
      const update = { note: 'The e-pollbook came back at 7:40.', affectedAssets: ['e_pollbook'] };
      const answers = await Promise.all([send(update, 'upd-1'), send(update, 'upd-1'), send(update, 'upd-1')]);
      expect(answers.map((response) => response.status)).toEqual([201, 201, 201]);
      const bodies = await Promise.all(answers.map((response) => json<{ updateId: string }>(response)));
      expect(new Set(bodies.map((body) => body.updateId)).size).toBe(1);
      const before = await intake.counts();

      const other = await send({ note: 'Something else entirely.' }, 'upd-1');
      expect(other.status).toBe(422);
      expect(await other.json()).toMatchObject({ code: 'INCIDENT.IDEMPOTENCY_KEY_REUSED' });
      expect(await intake.counts()).toEqual(before);
      const incident = await json<{ version: number; updates: Array<{ id: string }> }>(intake.request('GET', `/v1/incidents/${id}`, { token: official }));
      expect(incident).toMatchObject({ version: 2, updates: [{ id: bodies[0]?.updateId }] });
      await expectEventually(async () => {
        const events = (await intake.streamMessages()).map(eventOf).filter((e) => e.type === 'watchfloor.incident.updated.v1' && e.subject === id);
        expect(events).toHaveLength(1);
      });

      // The key is this caller's for this incident: a colleague's same key is their own update.
      const colleague = await intake.token({ sub: 'clerk-cobb', jurisdiction: GEORGIA });
      const theirs = await intake.request('POST', `/v1/incidents/${id}/updates`, { token: colleague, body: { note: 'Seen here too.' }, headers: { 'idempotency-key': 'upd-1' } });
      expect(theirs.status).toBe(201);
      expect((await json<{ updateId: string }>(theirs)).updateId).not.toBe(bodies[0]?.updateId);
    });

    it('answers 404 to another jurisdiction and 400 to an empty update', async () => {
      const { id } = await json<Receipt>(submit(aSubmission()));
      const wisconsin = await intake.token({ jurisdiction: WISCONSIN });
      expect((await intake.request('POST', `/v1/incidents/${id}/updates`, { token: wisconsin, body: { note: 'hello' } })).status).toBe(404);
      const empty = await intake.request('POST', `/v1/incidents/${id}/updates`, { token: official, body: {} });
      expect(empty.status).toBe(400);
      expect((await json<{ errors: unknown[] }>(empty)).errors).toContainEqual(expect.objectContaining({ field: 'note' }));
    });
  });

  it('documents its API in OpenAPI, request bodies described by the contract’s own rules', async () => {
    const document = await json<{ paths: Record<string, Record<string, { requestBody?: unknown }>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }>(
      intake.request('GET', '/docs/json'),
    );
    expect(document.paths['/v1/incidents']?.['post']?.requestBody).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/IncidentSubmission' } } } });
    expect(Object.keys(document.components.schemas['IncidentSubmission']?.properties ?? {})).toEqual(expect.arrayContaining(['title', 'category', 'jurisdiction', 'observables']));
    expect(Object.keys(document.components.schemas)).not.toContain('IntakeEnv');
  });
});
