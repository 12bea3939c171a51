import type { Observable } from '@watchfloor/contracts';
import { expectEventually } from '@watchfloor/testing';
import { reportedEvent } from './events';
import { json, startTriage, type TriageUnderTest } from './harness';
import { stixViolations } from './stix/stix-rules';

type StixObject = { type: string; id: string } & Record<string, unknown>;
type Bundle = { type: string; id: string; objects: StixObject[] };

const county = (name: string) => `ocd-division/country:us/state:ga/county:${name}`;
const LURE: Observable = { type: 'url', value: 'https://ga-sos-pollworker-verify.com/login' };
/** Only in the TLP:RED incident: must never reach a caller not cleared for red. */
const RED_ONLY: Observable = { type: 'domain', value: 'ga-results-exfil-drop.net' };
const MARKING = { green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1' };
const INCIDENT_EXTENSION = 'extension-definition--135ba0f4-686d-4164-9e7d-70fb1459af6d';

const ofType = (bundle: Bundle, type: string) => bundle.objects.filter((o) => o.type === type);
const extensionOf = (incident: StixObject | undefined) => (incident?.extensions as Record<string, Record<string, unknown>> | undefined)?.[INCIDENT_EXTENSION] ?? {};
const referencesOf = (bundle: Bundle) => ofType(bundle, 'incident').map((i) => extensionOf(i).reference).sort();

describe('triage: STIX 2.1 export', () => {
  let triage: TriageUnderTest;
  // A phishing campaign over four counties, at four labels, and a pair of incidents that is a cluster only.
  const cobb = reportedEvent({
    jurisdiction: county('cobb'),
    tlp: 'amber',
    observables: [
      LURE,
      { type: 'ipv4', value: '192.0.2.44' },
      { type: 'ipv6', value: '2001:db8::44' },
      { type: 'domain', value: 'ga-sos-pollworker-verify.com' },
      { type: 'email', value: 'verify@ga-sos-pollworker-verify.com' },
      { type: 'sha256', value: 'a'.repeat(64) },
      { type: 'md5', value: 'b'.repeat(32) },
      { type: 'file_name', value: "poll worker's form.pdf" },
      { type: 'social_handle', value: 'x:@ga_sos_help' },
      { type: 'phone', value: '+1 404 555 0199' },
    ],
  });
  const dekalb = reportedEvent({ jurisdiction: county('dekalb'), tlp: 'green', observables: [LURE] });
  const fulton = reportedEvent({ jurisdiction: county('fulton'), tlp: 'red', title: 'Results laptop beaconing to an exfiltration host', observables: [LURE, RED_ONLY] });
  const henry = reportedEvent({ jurisdiction: county('henry'), tlp: 'amber+strict', observables: [LURE] }, { submittedBy: { sub: 'clerk-9', org: 'henry-elections' } });
  const pairOf = (jurisdiction: string) => reportedEvent({ jurisdiction, tlp: 'green', observables: [{ type: 'ipv4', value: '198.51.100.77' }] });
  const pair = [pairOf(county('bibb')), pairOf(county('clarke'))] as const;
  let campaignId: string;
  let pairClusterId: string;

  const exportAs = async (path: string, claims: Parameters<TriageUnderTest['token']>[0]) => triage.request('GET', path, { token: await triage.token(claims) });
  const bundleAs = async (path: string, claims: Parameters<TriageUnderTest['token']>[0]): Promise<Bundle> => {
    const response = await exportAs(path, claims);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/stix+json;version=2.1;charset=utf-8');
    const bundle = (await response.json()) as Bundle;
    expect(stixViolations(bundle)).toEqual([]);
    return bundle;
  };
  const officer = { role: 'triage', clearance: 'red' } as const;

  beforeAll(async () => {
    triage = await startTriage();
    for (const event of [cobb, dekalb, fulton, henry, ...pair]) await triage.publish(event);
    await triage.settled(6);
    const clusterOf = async (incidentId: string) =>
      expectEventually(async () => {
        const { rows } = await triage.sql.query<{ cluster_id: string | null; campaign: boolean | null }>(
          'SELECT i.cluster_id, c.campaign FROM triage.incident i LEFT JOIN triage.cluster c ON c.id = i.cluster_id WHERE i.id = $1',
          [incidentId],
        );
        if (!rows[0]?.cluster_id) throw new Error(`${incidentId} is in no cluster yet`);
        return rows[0];
      });
    const campaign = await expectEventually(async () => {
      const found = await clusterOf(henry.data.incidentId);
      expect(found.campaign).toBe(true);
      return found;
    });
    campaignId = campaign.cluster_id as string;
    pairClusterId = (await clusterOf(pair[1].data.incidentId)).cluster_id as string;
  });
  afterAll(async () => {
    await triage?.close();
  });

  it('exports an incident as a bundle keeping the STIX 2.1 rules: the incident, its observables, its campaign, its TLP', async () => {
    const bundle = await bundleAs(`/v1/incidents/${cobb.data.incidentId}/stix`, officer);

    const [incident, ...others] = ofType(bundle, 'incident');
    expect(others).toHaveLength(0);
    expect(incident).toMatchObject({ name: cobb.data.submission.title, object_marking_refs: [MARKING.amber], external_references: [{ source_name: 'watchfloor', external_id: cobb.data.reference }] });
    expect(extensionOf(incident)).toMatchObject({ extension_type: 'property-extension', watchfloor_id: cobb.data.incidentId, tlp: 'amber', category: 'phishing', jurisdiction: county('cobb') });
    // The phone number has no cyber-observable; it stays in the extension.
    expect(extensionOf(incident).observables).toContainEqual({ type: 'phone', value: '+14045550199' });
    // Never the reporter.
    expect(JSON.stringify(bundle)).not.toContain(cobb.data.submission.reporter.email);

    const observables = bundle.objects.filter((o) => !['identity', 'extension-definition', 'marking-definition', 'incident', 'observed-data', 'relationship', 'campaign'].includes(o.type));
    expect(observables.map((o) => o.type).sort()).toEqual(['domain-name', 'email-addr', 'file', 'file', 'file', 'ipv4-addr', 'ipv6-addr', 'url', 'user-account']);
    expect(observables.find((o) => o.type === 'ipv4-addr')).toMatchObject({ value: '192.0.2.44', object_marking_refs: [MARKING.amber] });
    const [observed] = ofType(bundle, 'observed-data');
    expect(new Set(observed?.object_refs as string[])).toEqual(new Set(observables.map((o) => o.id)));

    const [campaign] = ofType(bundle, 'campaign');
    expect(campaign).toMatchObject({ external_references: [{ external_id: campaignId }], object_marking_refs: [MARKING.amber] });
    expect(ofType(bundle, 'relationship').map((r) => [r.source_ref, r.relationship_type, r.target_ref])).toEqual(
      expect.arrayContaining([[observed?.id, 'related-to', incident?.id], [incident?.id, 'related-to', campaign?.id]]),
    );
    expect(ofType(bundle, 'marking-definition').map((m) => m.id)).toEqual([MARKING.amber]);

    // Exported again: the same objects under the same ids (a consumer updates them), in a new bundle.
    const again = await bundleAs(`/v1/incidents/${cobb.data.incidentId}/stix`, officer);
    expect(again.id).not.toBe(bundle.id);
    expect(again.objects.map((o) => o.id)).toEqual(bundle.objects.map((o) => o.id));
  });

  it("refuses an incident beyond the caller's clearance with the 404 of an incident that does not exist", async () => {
    const path = (event: typeof cobb) => `/v1/incidents/${event.data.incidentId}/stix`;
    const partner = { role: 'partner', clearance: 'amber', org: 'election-vendor' } as const;
    await bundleAs(path(cobb), partner);

    const refused = await exportAs(path(fulton), partner);
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await json(refused)).toMatchObject({ code: 'INCIDENT.NOT_FOUND' });
    // Staff too: an export leaves Watchfloor, so the exporter's clearance is its ceiling.
    expect((await exportAs(path(fulton), { role: 'triage', clearance: 'amber' })).status).toBe(404);
    expect(ofType(await bundleAs(path(fulton), officer), 'marking-definition').map((m) => m.id)).toEqual([MARKING.red]);

    // TLP:AMBER+STRICT: the reporting organisation and the operations center only.
    expect((await exportAs(path(henry), { role: 'partner', clearance: 'red', org: 'election-vendor' })).status).toBe(404);
    await bundleAs(path(henry), { role: 'partner', clearance: 'amber+strict', org: 'henry-elections' });
    await bundleAs(path(henry), { role: 'triage', clearance: 'amber+strict' });
    expect((await exportAs(path(cobb), { role: 'official', clearance: 'red' })).status).toBe(403);
  });

  it('exports a campaign with only the incidents within the clearance, and indicators of what those share', async () => {
    const path = `/v1/clusters/${campaignId}/stix`;
    const partnerBundle = await bundleAs(path, { role: 'partner', clearance: 'amber', org: 'election-vendor' });
    expect(referencesOf(partnerBundle)).toEqual([cobb.data.reference, dekalb.data.reference].sort());
    // Nothing of the red incident: not its title, not the observable only it reported.
    const text = JSON.stringify(partnerBundle);
    expect(text).not.toContain(RED_ONLY.value);
    expect(text).not.toContain(fulton.data.submission.title);
    const [campaign] = ofType(partnerBundle, 'campaign');
    expect(campaign).toMatchObject({ object_marking_refs: [MARKING.amber] });
    const [indicator, ...more] = ofType(partnerBundle, 'indicator');
    expect(more).toHaveLength(0);
    expect(indicator).toMatchObject({ pattern: `[url:value = '${LURE.value}']`, pattern_type: 'stix', object_marking_refs: [MARKING.amber] });
    const relationships = ofType(partnerBundle, 'relationship').map((r) => `${r.relationship_type} ${r.target_ref}`);
    expect(relationships.filter((r) => r === `related-to ${campaign?.id}`)).toHaveLength(2);
    expect(relationships).toContain(`indicates ${campaign?.id}`);
    // The URL both reported is one object, at the more shareable of their labels.
    expect(ofType(partnerBundle, 'url')).toEqual([expect.objectContaining({ value: LURE.value, object_marking_refs: [MARKING.green] })]);

    const officerBundle = await bundleAs(path, officer);
    expect(referencesOf(officerBundle)).toEqual([cobb, dekalb, fulton, henry].map((e) => e.data.reference).sort());
    expect(ofType(officerBundle, 'campaign')[0]).toMatchObject({ id: campaign?.id, object_marking_refs: [MARKING.red] });

    // A caller who may see none of it meets the 404 of a cluster that does not exist.
    const none = await exportAs(path, { role: 'partner', clearance: 'clear' });
    expect(none.status).toBe(404);
    expect(await json(none)).toMatchObject({ code: 'CLUSTER.NOT_FOUND' });
  });

  it('exports a cluster that is not a campaign as a grouping of its incidents and indicators', async () => {
    const bundle = await bundleAs(`/v1/clusters/${pairClusterId}/stix`, { role: 'partner', clearance: 'green' });
    expect(ofType(bundle, 'campaign')).toHaveLength(0);
    const [grouping] = ofType(bundle, 'grouping');
    const members = [...ofType(bundle, 'incident'), ...ofType(bundle, 'indicator')].map((o) => o.id);
    expect(members).toHaveLength(3);
    expect(new Set(grouping?.object_refs as string[])).toEqual(new Set(members));
    expect(ofType(bundle, 'indicator')[0]).toMatchObject({ pattern: "[ipv4-addr:value = '198.51.100.77']", object_marking_refs: [MARKING.green] });
  });

  it('holds the exports to rules that can fail: each broken rule is reported', async () => {
    const bundle = await bundleAs(`/v1/incidents/${cobb.data.incidentId}/stix`, officer);
    const broken = (change: (objects: StixObject[]) => void): string[] => {
      const copy = structuredClone(bundle);
      change(copy.objects);
      return stixViolations(copy);
    };
    const first = (objects: StixObject[], type: string): StixObject => {
      const found = objects.find((o) => o.type === type);
      if (!found) throw new Error(`no ${type} in the bundle`);
      return found;
    };
    expect(broken((o) => void (first(o, 'marking-definition').id = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'))).not.toEqual([]);
    expect(broken((o) => void (first(o, 'incident').created_by_ref = 'identity--2f0a4e2c-6f35-4c5e-9c43-9d29a8a1a7e1'))).not.toEqual([]);
    expect(broken((o) => void (first(o, 'incident').created = '2026-11-03T13:05:07Z'))).not.toEqual([]);
    expect(broken((o) => void delete first(o, 'incident').spec_version)).not.toEqual([]);
    expect(broken((o) => void (first(o, 'observed-data').object_refs = [first(o, 'incident').id]))).not.toEqual([]);
    expect(broken((o) => void (first(o, 'ipv4-addr').id = 'ipv4-addr--6d8b2b43-46b0-4b31-9f4b-5c8f0f3a4e11'))).not.toEqual([]);
    expect(broken((o) => void (first(o, 'campaign').modified = '2000-01-01T00:00:00.000Z'))).not.toEqual([]);
  });
});
