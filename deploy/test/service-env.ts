// What each service accepts in its environment, read from the services' own config classes,
// so the compose file and the Kubernetes manifests are checked against the code, not a copy.
import { getMetadataStorage } from 'class-validator';
import { loadConfig, type EnvClass } from '@watchfloor/platform';
// The deployment checks read each service's config contract; nothing else of the apps.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { AuditEnv } from '../../apps/audit/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { IntakeEnv } from '../../apps/intake/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { NotificationEnv } from '../../apps/notification/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { TriageEnv } from '../../apps/triage/src/config';

export const SERVICES = ['intake', 'triage', 'notification', 'audit'] as const;
export type ServiceName = (typeof SERVICES)[number];

const ENV_CLASSES: Record<ServiceName, EnvClass<object>> = {
  intake: IntakeEnv,
  triage: TriageEnv,
  notification: NotificationEnv,
  audit: AuditEnv,
};

/** Every variable the service reads (declared in its env class or an ancestor). */
export function knownVariables(service: ServiceName): Set<string> {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(ENV_CLASSES[service], '', true, false);
  return new Set(metadata.map((entry) => entry.propertyName));
}

/**
 * What is wrong with `env` for `service`: variables it does not read (a typo is silently
 * ignored at run time), then whatever its own config validation refuses. Empty when fine.
 */
export function envProblems(service: ServiceName, env: Record<string, string>): string[] {
  const known = knownVariables(service);
  const problems = Object.keys(env)
    .filter((name) => !known.has(name))
    .map((name) => `${name}: not a variable ${service} reads`);
  try {
    loadConfig(ENV_CLASSES[service], env);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  return problems;
}

/** The port the service listens on with `env` (its PORT, or its default). */
export function servicePort(service: ServiceName, env: Record<string, string>): number {
  return (loadConfig(ENV_CLASSES[service], env) as { PORT: number }).PORT;
}
