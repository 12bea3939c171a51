// The CI soak (issue 12): three minutes of election-day traffic on the whole system twice over,
// with eleven faults (every kind once) drawn with a fixed seed, then the
// checker. `npm run soak` runs the long ones (docs/operations.md).
// tools/ is no Nx project, so the boundary rule sees a path outside the workspace's projects.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { formatSoakReport } from '../../tools/soak/report';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { runSoak } from '../../tools/soak/run-soak';

jest.setTimeout(900_000);

describe('soak: election day under fire', () => {
  it('loses nothing and doubles nothing through eleven faults in three minutes', async () => {
    const report = await runSoak({ minutes: 3, rate: 10, faults: 11, seed: 12, drainS: 300, log: () => undefined });
    console.log(formatSoakReport(report));
    expect(report.faults).toHaveLength(11);
    expect(report.invariants.filter((invariant) => invariant.broken > 0)).toEqual([]);
    expect(report.drainedAfterLoadS).toBeDefined();
    expect(report.holds).toBe(true);
  });
});
