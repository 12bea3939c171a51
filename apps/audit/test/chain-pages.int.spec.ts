import { DataSource } from 'typeorm';
import { serviceDataSourceOptions } from '@watchfloor/persistence';
import { AuditLogRepository, type ChainPage } from '../src/log/audit-log.repository';
import { json, startAudit, type AuditUnderTest } from './harness';
import { anIncidentFlow } from './incident-flow';

// Verify and export hold one page of the chain at a time: its entries and the checkpoints
// signing them. The checkpoints must come with the page of the entry they sign, whatever the
// page size, or a walk would miss them (or hold them all, as it did before: up to one a minute).
describe('the chain read in pages, checkpoints with the entries they sign', () => {
  let audit: AuditUnderTest;
  let dataSource: DataSource;
  let log: AuditLogRepository;

  beforeAll(async () => {
    audit = await startAudit({ AUDIT_CHECKPOINT_EVERY: '3', AUDIT_CHECKPOINT_INTERVAL_MS: '86400000' });
    // One event at a time, so the appender signs every third entry (one checkpoint per transaction).
    for (const event of [...anIncidentFlow(), ...anIncidentFlow()]) {
      const before = await audit.entryCount();
      await audit.publish([event]);
      await audit.waitForEntries(before + 1);
    }
    await audit.checkpointNow();
    dataSource = new DataSource(serviceDataSourceOptions({ url: audit.db.url, schema: 'audit', applicationName: 'chain-pages-test', poolSize: 1 }));
    await dataSource.initialize();
    log = new AuditLogRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await audit.close();
  });

  it.each([1, 4, 7, 5000])('gives each checkpoint with the page of the entry it signs (pages of %i)', async (pageSize) => {
    const { head } = await log.snapshot();
    const all = (await audit.sql.query<{ sequence: string }>('SELECT sequence FROM audit.checkpoint ORDER BY sequence')).rows.map((row) => Number(row.sequence));
    expect(all.length).toBeGreaterThanOrEqual(8);
    const pages: ChainPage[] = [];
    for await (const page of log.pages(head.sequence, pageSize)) pages.push(page);
    expect(pages.flatMap((page) => page.entries.map((entry) => entry.sequence))).toEqual(Array.from({ length: head.sequence }, (_, i) => i + 1));
    for (const page of pages) {
      const sequences = new Set(page.entries.map((entry) => entry.sequence));
      expect(page.checkpoints.filter((checkpoint) => !sequences.has(checkpoint.sequence))).toEqual([]);
    }
    expect(pages.flatMap((page) => page.checkpoints.map((checkpoint) => checkpoint.sequence))).toEqual(all);
  });

  it('verifies every checkpoint and leaves none for the snapshot beyond the head', async () => {
    const token = await audit.token();
    const count = Number((await audit.sql.query<{ n: string }>('SELECT count(*) AS n FROM audit.checkpoint')).rows[0]?.n);
    const report = await json<{ valid: boolean; checkpointsVerified: number; entriesAfterLastCheckpoint: number }>(audit.request('GET', '/v1/audit/verify', { token }));
    expect(report).toMatchObject({ valid: true, checkpointsVerified: count, entriesAfterLastCheckpoint: 0 });
    expect((await log.snapshot()).checkpointsBeyondHead).toEqual([]);
  });
});
