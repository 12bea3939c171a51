// The Kubernetes manifests (deploy/kubernetes) rendered with kustomize and checked against the
// Kubernetes schemas, against each other, against nats-server and against the services' config.
import { createPrivateKey } from 'node:crypto';
import type { IContainer } from 'kubernetes-models/v1/Container';
import {
  consoleHosts,
  consoleProblems,
  consoleRouteProblems,
  containerEnvironment,
  deploymentProblems,
  disruptionBudgetProblems,
  referenceProblems,
  serviceDeployments,
  serviceProblems,
  workloads,
  type Manifests,
} from './kubernetes-checks';
import { envOf, readDockerfile } from './dockerfile';
import { memoryProblems } from './kubernetes-memory';
import { natsClientProblems, natsClusterProblems, natsConfigProblems } from './kubernetes-nats';
import {
  egressAdmits,
  egressPorts,
  ingressSources,
  networkPolicies,
  networkPolicyProblems,
  notificationEgressProblems,
  policyCoverageProblems,
  PUBLIC_SAMPLE,
  serviceEgressProblems,
} from './kubernetes-network';
import { renderKustomization, schemaProblems, type KubeObject } from './kubernetes-render';
import { requiredSecrets, runSecretsExample } from './kubernetes-secrets';
import { envProblems } from './service-env';

const secrets = requiredSecrets();
const imageStages = readDockerfile().stages;
/** What the image sets; a container's own NODE_OPTIONS replaces it. */
const imageNodeOptions = envOf(imageStages[imageStages.length - 1] as (typeof imageStages)[number])['NODE_OPTIONS'] ?? '';
const rendered: Record<string, Manifests> = {};
const manifests = (dir: string): Manifests => (rendered[dir] ??= { objects: renderKustomization(dir), secrets });

describe.each(['base', 'overlays/production'])('Kubernetes manifests: %s', (dir) => {
  it('render to objects the Kubernetes schemas accept', () => {
    const { objects } = manifests(dir);
    expect([...new Set(objects.map((object) => object.kind))]).toEqual(
      expect.arrayContaining(['StatefulSet', 'Deployment', 'Service', 'PodDisruptionBudget', 'ConfigMap']),
    );
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('run each service as 2+ replicas with probes on the port it listens on, resources and a locked-down container', () => {
    expect(deploymentProblems(manifests(dir))).toEqual([]);
  });

  it('budget the disruption of every workload', () => {
    expect(disruptionBudgetProblems(manifests(dir).objects)).toEqual([]);
  });

  it("give each service a memory limit above its heap bound plus what lives beside the heap, and a request above its measured peak", () => {
    expect(imageNodeOptions).toMatch(/--max-old-space-size=\d+/);
    expect(memoryProblems(manifests(dir), imageNodeOptions)).toEqual([]);
  });

  it('route every Service and Ingress to ports their pods declare', () => {
    expect(serviceProblems(manifests(dir).objects)).toEqual([]);
  });

  it('refer only to rendered ConfigMaps and to the Secrets required-secrets.yaml documents', () => {
    expect(referenceProblems(manifests(dir))).toEqual([]);
  });

  it('run a 3-server JetStream cluster nats-server accepts, and send every service to all three with R3 streams', () => {
    expect(natsClusterProblems(manifests(dir).objects)).toEqual([]);
    expect(natsConfigProblems(manifests(dir))).toEqual([]);
    expect(natsClientProblems(manifests(dir))).toEqual([]);
  });

  it('deny all traffic by default, with policies that select rendered pods and open ports those pods declare', () => {
    const { objects } = manifests(dir);
    expect(networkPolicies(objects).length).toBeGreaterThan(1);
    expect(networkPolicyProblems(objects)).toEqual([]);
    expect(policyCoverageProblems(objects)).toEqual([]);
  });

  it('let NATS be reached by the four services, its peers and Prometheus, and the services by the ingress controller and Prometheus', () => {
    const { objects } = manifests(dir);
    const nats = workloads(objects).find((workload) => workload.name === 'nats');
    if (!nats) throw new Error('no nats');
    expect(ingressSources(objects, nats, 'client')).toEqual(['audit', 'intake', 'notification', 'triage']);
    expect(ingressSources(objects, nats, 'cluster')).toEqual(['nats']);
    expect(ingressSources(objects, nats, 'monitor')).toEqual(['namespace watchfloor/monitoring=true']);
    expect(egressPorts(objects, nats)).toEqual(['TCP/53', 'UDP/53', 'TCP/6222']);
    const services = serviceDeployments(objects);
    expect(services).toHaveLength(4);
    for (const { workload } of services) {
      expect(ingressSources(objects, workload, 'http')).toEqual(['namespace watchfloor/ingress-controller=true', 'namespace watchfloor/monitoring=true']);
    }
  });

  it("run the console as 2+ replicas of the image's console entry, with a config its server accepts, probed and locked down", () => {
    expect(consoleProblems(manifests(dir))).toEqual([]);
  });

  it('let the console be reached by the ingress controller only, and reach nothing', () => {
    const { objects } = manifests(dir);
    const consolePods = workloads(objects).find((workload) => workload.name === 'console');
    if (!consolePods) throw new Error('no console');
    expect(ingressSources(objects, consolePods, 'http')).toEqual(['namespace watchfloor/ingress-controller=true']);
    expect(egressPorts(objects, consolePods)).toEqual([]);
    expect(egressAdmits(objects, consolePods, PUBLIC_SAMPLE)).toBe(false);
  });

  it('let each service reach only NATS, DNS, Postgres and its identity provider, and notification its webhooks and SMTP', () => {
    const { objects } = manifests(dir);
    expect(serviceEgressProblems(manifests(dir))).toEqual([]);
    expect(notificationEgressProblems(manifests(dir))).toEqual([]);
    const ports = Object.fromEntries(serviceDeployments(objects).map(({ service, workload }) => [service, egressPorts(objects, workload)]));
    const common = ['TCP/53', 'UDP/53', 'TCP/443', 'TCP/4222', 'TCP/5432'];
    const notification = ['TCP/25', 'TCP/53', 'UDP/53', 'TCP/443', 'TCP/465', 'TCP/587', 'TCP/4222', 'TCP/5432'];
    expect(ports).toEqual({ intake: common, triage: common, audit: common, notification });
  });
});

describe('Kubernetes manifests: production specifics', () => {
  const production = (): Manifests => manifests('overlays/production');
  const serviceEnvironments = (): Record<string, string>[] =>
    serviceDeployments(production().objects).flatMap(({ workload }) =>
      (workload.template.spec?.containers ?? []).map((container) => containerEnvironment(production(), container).env),
    );

  it('put every namespaced object in the watchfloor namespace, which enforces the restricted pod security', () => {
    const objects = production().objects;
    const misplaced = objects.filter((object) => object.kind !== 'Namespace' && object.metadata.namespace !== 'watchfloor');
    expect(misplaced.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([]);
    const namespace = objects.find((object) => object.kind === 'Namespace');
    expect(namespace?.metadata).toEqual(
      expect.objectContaining({ name: 'watchfloor', labels: expect.objectContaining({ 'pod-security.kubernetes.io/enforce': 'restricted' }) }),
    );
  });

  it('pin every image to a release', () => {
    const images = workloads(production().objects).flatMap((workload) => (workload.template.spec?.containers ?? []).map((container) => container.image ?? ''));
    expect(images.length).toBeGreaterThan(0);
    const unpinned = images.filter((image) => !/@sha256:[0-9a-f]{64}$/.test(image) && !/:(?!latest$)[\w][\w.-]*$/.test(image.split('/').pop() ?? ''));
    expect(unpinned).toEqual([]);
  });

  it('route the console host: its pages to the console, /api/<service>/ to each service without the prefix', () => {
    const hosts = consoleHosts(production().objects);
    expect(hosts).toEqual(['console.watchfloor.example.org']);
    expect(consoleRouteProblems(production().objects, hosts[0] ?? '')).toEqual([]);
  });

  it('set R3 streams, JWKS auth and a trusted ingress for every service', () => {
    const environments = serviceEnvironments();
    expect(environments).toHaveLength(4);
    for (const env of environments) {
      expect(env).toEqual(expect.objectContaining({ NODE_ENV: 'production', NATS_STREAM_REPLICAS: '3', AUTH_MODE: 'jwks', TRUST_PROXY: 'true', HOST: '0.0.0.0' }));
    }
  });
});

describe('Kubernetes manifest checks', () => {
  // Each check is shown to fail on a broken copy of the base, so a green run means something.
  const broken = (change: (objects: KubeObject[]) => void): Manifests => {
    const objects = structuredClone(manifests('base').objects);
    change(objects);
    return { objects, secrets };
  };
  const deployment = (objects: KubeObject[], name: string): IContainer & { replicas: number } => {
    const found = workloads(objects).find((workload) => workload.name === name);
    if (!found) throw new Error(`no ${name}`);
    const container = found.template.spec?.containers[0] as IContainer;
    return Object.assign(container, { replicas: found.replicas });
  };
  const natsConfig = (objects: KubeObject[]): Record<string, string> => {
    const map = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('nats-config'));
    return (map as unknown as { data: Record<string, string> }).data;
  };

  it('pass on what the Kubernetes schemas refuse', () => {
    const manifest = broken((objects) => {
      const service = objects.find((object) => object.kind === 'Service' && object.metadata.name === 'intake');
      (service as unknown as { spec: { ports: { port: unknown }[] } }).spec.ports[0].port = 'eighty';
    });
    expect(schemaProblems(manifest.objects)).toEqual(['Service/intake: data/spec/ports/0/port must be integer']);
  });

  it('name a probe on a port the service does not listen on', () => {
    const manifest = broken((objects) => {
      const container = deployment(objects, 'intake');
      if (container.readinessProbe?.httpGet) container.readinessProbe.httpGet.port = 9999;
    });
    expect(deploymentProblems(manifest)).toEqual(['Deployment intake: readinessProbe probes port 9999, not 3001']);
  });

  it('name a heap bound the memory limit does not leave room for, and a request below the measured peak', () => {
    const manifest = broken((objects) => {
      const triage = deployment(objects, 'triage');
      triage.env = [...(triage.env ?? []), { name: 'NODE_OPTIONS', value: '--max-semi-space-size=8 --max-old-space-size=384' }];
      const audit = deployment(objects, 'audit');
      audit.env = [...(audit.env ?? []), { name: 'NODE_OPTIONS', value: '--max-old-space-size=192' }];
      if (audit.resources?.requests) audit.resources.requests['memory'] = '128Mi';
    });
    expect(memoryProblems(manifest, imageNodeOptions)).toEqual([
      'audit: NODE_OPTIONS "--max-old-space-size=192" leaves the heap to V8 (set the old space and the semi-space)',
      'audit: the 128Mi request is below the measured peak of 182 MiB',
      'triage: a 408 MiB heap plus 192 MiB beside it exceeds the 512Mi limit',
    ]);
  });

  it('name a single replica and a variable the service does not read', () => {
    const manifest = broken((objects) => {
      const audit = workloads(objects).find((workload) => workload.name === 'audit');
      (audit?.object['spec'] as { replicas: number }).replicas = 1;
      const config = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('triage-config'));
      (config as unknown as { data: Record<string, string> }).data['TRIAGE_ACK_DEADLINE_EMERGENCY'] = '60';
    });
    expect(deploymentProblems(manifest)).toEqual([
      'Deployment audit: 1 replica(s), 2 or more needed',
      'Deployment triage: TRIAGE_ACK_DEADLINE_EMERGENCY: not a variable triage reads',
    ]);
  });

  it('name a Secret nobody documented and a ConfigMap that is not rendered', () => {
    const manifest = broken((objects) => {
      const triage = deployment(objects, 'triage');
      triage.envFrom = [...(triage.envFrom ?? []), { secretRef: { name: 'triage-extras' } }, { configMapRef: { name: 'triage-tuning' } }];
    });
    expect(referenceProblems(manifest)).toEqual([
      'triage: container triage: Secret triage-extras is neither rendered nor in required-secrets.yaml',
      'triage: container triage: ConfigMap triage-tuning is not rendered',
    ]);
  });

  it('name a route that misses a server, and a config nats-server refuses', () => {
    const manifest = broken((objects) => {
      const data = natsConfig(objects);
      data['nats.conf'] = data['nats.conf'].replace(/\s*nats-route:\/\/nats-2[^\s]*/, '').replace('jetstream {', 'jetstream {\n  store_dri: /data');
    });
    expect(natsClusterProblems(manifest.objects)).toEqual([
      expect.stringMatching(/^nats.conf routes nats-0.nats-headless:6222 nats-1.nats-headless:6222, expected .*nats-2/),
    ]);
    expect(natsConfigProblems(manifest)).toEqual([expect.stringMatching(/unknown field "store_dri"/)]);
  });

  const policy = (objects: KubeObject[], name: string): NonNullable<ReturnType<typeof networkPolicies>[number]['spec']> => {
    const found = networkPolicies(objects).find((candidate) => candidate.metadata.name === name);
    if (!found?.spec) throw new Error(`no NetworkPolicy ${name}`);
    return found.spec;
  };

  it('name a policy that selects no pods, and a port its pods do not declare', () => {
    const manifest = broken((objects) => {
      policy(objects, 'nats').podSelector = { matchLabels: { 'app.kubernetes.io/name': 'natsd' } };
      const ingress = policy(objects, 'services-ingress').ingress?.[0];
      if (ingress?.ports?.[0]) ingress.ports[0].port = 'metrics';
      const toNats = policy(objects, 'services-egress').egress?.[0];
      if (toNats?.ports?.[0]) toNats.ports[0].port = 4223;
    });
    expect(networkPolicyProblems(manifest.objects)).toEqual([
      'NetworkPolicy nats: podSelector {"matchLabels":{"app.kubernetes.io/name":"natsd"}} selects no pods',
      'NetworkPolicy services-egress: egress port TCP/4223 is not a port of nats',
      'NetworkPolicy services-ingress: ingress port TCP/metrics is not a port of audit, intake, notification, triage',
    ]);
    expect(policyCoverageProblems(manifest.objects)).toEqual(['StatefulSet nats: no NetworkPolicy allows it any ingress', 'StatefulSet nats: no NetworkPolicy allows it any egress']);
    expect(serviceEgressProblems(manifest)).toEqual(
      ['audit', 'intake', 'notification', 'triage'].flatMap((service) => [0, 1, 2].map((server) => `${service}: may not reach NATS (nats://nats-${server}.nats-headless:4222)`)),
    );
  });

  it('name a missing default deny and a service without an ingress policy', () => {
    const manifest = broken((objects) => {
      policy(objects, 'default-deny').policyTypes = ['Ingress'];
      policy(objects, 'services-ingress').podSelector = { matchLabels: { 'app.kubernetes.io/name': 'intake' } };
    });
    expect(policyCoverageProblems(manifest.objects)).toEqual([
      'no NetworkPolicy denies all ingress and egress of every pod by default',
      'Deployment audit: no NetworkPolicy allows it any ingress',
      'Deployment notification: no NetworkPolicy allows it any ingress',
      'Deployment triage: no NetworkPolicy allows it any ingress',
    ]);
  });

  it('name notification egress to the metadata address, to private addresses, on http, and a service cut off from Postgres', () => {
    const manifest = broken((objects) => {
      const delivery = policy(objects, 'notification-egress').egress?.[0];
      const block = delivery?.to?.[0]?.ipBlock;
      if (block) block.except = ['169.254.170.2/32', '100.100.100.200/32'];
      delivery?.ports?.push({ protocol: 'TCP', port: 80 });
      const postgres = policy(objects, 'services-egress').egress?.[2];
      if (postgres?.ports?.[0]) postgres.ports[0].port = 5433;
    });
    expect(notificationEgressProblems(manifest)).toEqual(
      expect.arrayContaining([
        'notification: egress admits the metadata address 169.254.169.254',
        'notification: egress admits 10.1.2.3:443 though NOTIFICATION_ALLOW_PRIVATE is not true',
        'notification: egress admits 169.254.1.1:587 though NOTIFICATION_ALLOW_PRIVATE is not true',
        'notification: egress opens port 80 though NOTIFICATION_ALLOW_HTTP is not true',
      ]),
    );
    expect(notificationEgressProblems(manifest).filter((problem) => problem.includes('metadata'))).toEqual(['notification: egress admits the metadata address 169.254.169.254']);
    expect(serviceEgressProblems(manifest)).toEqual(
      ['audit', 'intake', 'notification', 'triage'].flatMap((service) => [
        `${service}: may not reach its database on port 5432 at 198.51.100.7`,
        `${service}: may not reach its database on port 5432 at 10.1.2.3`,
      ]),
    );
  });

  it('name a console that would not start, and API routes that keep their prefix', () => {
    const manifest = broken((objects) => {
      const config = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('console-config'));
      delete (config as unknown as { data: Record<string, string> }).data['CONSOLE_OIDC_CLIENT_ID'];
      deployment(objects, 'console').args = ['intake'];
    });
    expect(consoleProblems(manifest)).toEqual([
      'Deployment console: args ["intake"] do not start the console',
      expect.stringMatching(/^Deployment console: the console's configuration is invalid:\s+CONSOLE_OIDC_CLIENT_ID: required/),
    ]);
    const production = structuredClone(manifests('overlays/production').objects);
    const api = production.find((object) => object.kind === 'Ingress' && object.metadata.name === 'watchfloor-console-api') as { metadata: { annotations?: Record<string, string> } } | undefined;
    delete api?.metadata.annotations?.['nginx.ingress.kubernetes.io/rewrite-target'];
    expect(consoleRouteProblems(production, 'console.watchfloor.example.org')).toEqual(
      expect.arrayContaining(['console.watchfloor.example.org/api/intake/v1/incidents goes to intake as /api/intake/v1/incidents, not intake as /v1/incidents']),
    );
  });

  it('name a service that would not find its NATS password', () => {
    const manifest = broken((objects) => {
      const notification = deployment(objects, 'notification');
      const pass = notification.env?.find((variable) => variable.name === 'NATS_PASS');
      if (pass?.valueFrom?.secretKeyRef) pass.valueFrom.secretKeyRef.key = 'audit';
    });
    expect(natsClientProblems(manifest)).toEqual(['notification: NATS_PASS is not the password nats.conf gives user notification']);
  });
});

describe('secrets.example.sh', () => {
  const databaseUrl = (role: string): string => `postgres://${role}:pw@db.example.invalid:5432/watchfloor`;
  const created = (): ReturnType<typeof runSecretsExample> =>
    runSecretsExample({
      NAMESPACE: 'election-ops',
      INTAKE_DATABASE_URL: databaseUrl('watchfloor_intake'),
      TRIAGE_DATABASE_URL: databaseUrl('watchfloor_triage'),
      NOTIFICATION_DATABASE_URL: databaseUrl('watchfloor_notification'),
      AUDIT_DATABASE_URL: databaseUrl('watchfloor_audit'),
      SMTP_URL: 'smtps://watchfloor:pw@smtp.example.invalid:465',
      TLS_CERT: '/certs/tls.crt',
      TLS_KEY: '/certs/tls.key',
    });

  it('creates exactly the Secrets and keys required-secrets.yaml documents, in the namespace it is given', () => {
    const made = created();
    const shape = (list: { name: string; keys: string[] }[]): Record<string, string[]> =>
      Object.fromEntries(list.map(({ name, keys }) => [name, [...keys].sort()]));
    expect(shape(made.map((secret) => ({ name: secret.name, keys: Object.keys(secret.values) })))).toEqual(
      shape(secrets.map((secret) => ({ name: secret.name, keys: Object.keys(secret.keys) }))),
    );
    expect(new Set(made.map((secret) => secret.namespace))).toEqual(new Set(['election-ops']));
  });

  it('generates values the services accept: distinct NATS passwords, a notification key, an Ed25519 signing key', () => {
    const made = Object.fromEntries(created().map((secret) => [secret.name, secret.values]));
    const passwords = Object.values(made['watchfloor-nats-users'] ?? {});
    expect(new Set(passwords).size).toBe(4);
    // Letters first: nats.conf's $VARIABLE values are parsed, and bare hex such as 12e4ab... is a malformed number.
    for (const password of passwords) expect(password).toMatch(/^[a-z]+[0-9a-f]{48}$/);

    // notification's production environment with the generated Secret values in place of the examples.
    const production: Manifests = manifests('overlays/production');
    const notification = serviceDeployments(production.objects).find(({ service }) => service === 'notification');
    const container = notification?.workload.template.spec?.containers[0];
    if (!container) throw new Error('no notification container');
    const { env } = containerEnvironment(production, container, (secret, key) => made[secret]?.[key]);
    expect(env['NOTIFICATION_SECRET_KEY']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(envProblems('notification', env)).toEqual([]);

    const signingKey = createPrivateKey(made['watchfloor-audit-signing-key']?.['signing-key.pem'] ?? '');
    expect(signingKey.asymmetricKeyType).toBe('ed25519');
  });

  it('refuses to run without a database URL, naming it', () => {
    expect(() => runSecretsExample({ SMTP_URL: 'smtp://x' })).toThrow(/INTAKE_DATABASE_URL/);
  });
});
