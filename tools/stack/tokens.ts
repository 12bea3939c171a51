import { BaseEnv, loadConfig, signDevToken } from '@watchfloor/platform';

const US = 'ocd-division/country:us';
const GEORGIA = `${US}/state:ga`;

/** One ready-made development token per role, printed by `npm start`. */
export async function developmentTokens(env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const { AUTH_DEV_SECRET } = loadConfig(BaseEnv, env);
  const personas = [
    { role: 'official', sub: 'official-ga', name: 'Georgia election official', jurisdiction: GEORGIA, clearance: 'amber', org: 'ga-sos' },
    { role: 'automation', sub: 'automation-ga', name: 'Georgia SOAR bridge', jurisdiction: GEORGIA, clearance: 'amber', org: 'ga-sos' },
    { role: 'triage', sub: 'triage-1', name: 'On-call triage officer', jurisdiction: US, clearance: 'red', org: 'watchfloor-soc' },
    { role: 'partner', sub: 'partner-1', name: 'Election vendor partner', jurisdiction: US, clearance: 'amber', org: 'vendor' },
    { role: 'auditor', sub: 'auditor-1', name: 'Oversight auditor', jurisdiction: US, clearance: 'red', org: 'oversight' },
    { role: 'admin', sub: 'admin-1', name: 'Deployment operator', jurisdiction: US, clearance: 'red', org: 'watchfloor-soc' },
  ] as const;
  const entries = await Promise.all(
    personas.map(async ({ role, ...claims }) => [role, await signDevToken({ ...claims, roles: [role] }, AUTH_DEV_SECRET, '12h')] as const),
  );
  return Object.fromEntries(entries);
}
