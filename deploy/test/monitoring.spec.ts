// deploy/monitoring against the code: every metric the Grafana dashboard and the Prometheus
// alert rules use is one a service really serves on /metrics (the four services are started
// and scraped), every metric the operations guide tells operators to watch is on the
// dashboard or in a rule, and the rule file passes Prometheus' own `promtool check rules`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import { bindMounts, REPO_ROOT, type ComposeFile } from './compose-file';
import { renderKustomization } from './kubernetes-render';
import {
  allPanels, dashboardExpressions, DASHBOARD_FILE, metricUses, MONITORING_DIR, readDashboard, readRules, ruleExpressions, RULE_TESTS_FILE, RULES_FILE,
  ruleTestSeries,
  type Dashboard, type Expression,
} from './monitoring-files';
import { metricNamesIn } from './promql';
import { startServices, type RunningServices, type ServiceMetrics } from './service-metrics';

/**
 * Metrics that no Watchfloor service serves, used on purpose, with who does serve them.
 * Everything else must come from a service's /metrics.
 */
const NOT_FROM_A_SERVICE: Record<string, string> = {
  up: 'Prometheus, for every target it scrapes',
  jetstream_server_total_message_bytes: 'prometheus-nats-exporter -jsz (collector/jsz.go)',
  jetstream_server_max_storage: 'prometheus-nats-exporter -jsz (collector/jsz.go)',
};

const GUIDE = readFileSync(join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
const WATCH_HEADING = '## What to watch on election day';
const WATCH_ANCHOR = 'docs/operations.md#what-to-watch-on-election-day';

/** The metric names of the first column of the guide's "What to watch" table. */
function metricsTheGuideNames(): string[] {
  const start = GUIDE.indexOf(WATCH_HEADING);
  if (start === -1) throw new Error(`docs/operations.md has no "${WATCH_HEADING}"`);
  const end = GUIDE.indexOf('\n## ', start + WATCH_HEADING.length);
  const section = GUIDE.slice(start, end === -1 ? undefined : end);
  const firstCells = section.split('\n').filter((line) => line.startsWith('| ')).map((line) => line.split('|')[1] ?? '');
  const names = firstCells.flatMap((cell) =>
    [...cell.matchAll(/`([^`]+)`/g)].map((match) => /^([a-z_:][a-z0-9_:]*)(?:\{.*)?$/.exec(match[1] as string)?.[1]).filter((name) => name !== undefined),
  );
  return [...new Set(names)];
}

/** Uses of metrics that are neither served by a service nor listed in NOT_FROM_A_SERVICE. */
function unknownMetrics(expressions: Expression[], exported: ServiceMetrics): string[] {
  return [...metricUses(expressions)]
    .filter(([name]) => !exported.series.has(name) && !(name in NOT_FROM_A_SERVICE))
    .map(([name, where]) => `${name} (${where.join(', ')})`);
}

/** The family a series name belongs to (`x_bucket` -> `x`), so the guide's names match. */
function families(expressions: Expression[], exported: ServiceMetrics): Set<string> {
  return new Set([...metricUses(expressions).keys()].map((name) => exported.series.get(name) ?? name));
}

/** Prometheus' own checker, or why it is missing. */
function promtool(args: string[]) {
  const result = spawnSync('promtool', args, { encoding: 'utf8' });
  if (result.error) throw new Error(`promtool is not on PATH (${result.error.message}): install it, e.g. apt-get install prometheus (Debian)`);
  return result;
}

describe('metricNamesIn (the PromQL reader the checks rely on)', () => {
  it.each([
    ['up{job="watchfloor"} == 0', ['up']],
    ['histogram_quantile(0.99, sum by (le, service) (rate(watchfloor_outbox_lag_seconds_bucket{service=~"$service"}[$__rate_interval])))', ['watchfloor_outbox_lag_seconds_bucket']],
    ['sum(rate(a_total[5m])) by (service) / ignoring(code) group_left(x) b_total offset 1h > bool 0.5e1', ['a_total', 'b_total']],
    ['max by (x) (a) > 0\nand\nsum without (y) (rate(b[5m:30s])) == 0 unless c{l="}{[("}', ['a', 'b', 'c']],
    ['count(up{job=~"$job"} == 0) or vector(0)', ['up']],
    ['label_values(process_start_time_seconds{service=~"a|b"}, job)', ['process_start_time_seconds']],
    ['label_values(job)', []],
    ['min_over_time(watchfloor_consumer_pending[10m]) > 1e3', ['watchfloor_consumer_pending']],
  ])('%s', (expr, names) => {
    expect(metricNamesIn(expr)).toEqual(names);
  });
});

describe('deploy/monitoring against what the services serve on /metrics', () => {
  let services: RunningServices | undefined;
  let exported: ServiceMetrics;
  const dashboard = readDashboard();
  const rules = readRules();

  beforeAll(async () => {
    services = await startServices();
    exported = await services.scrape();
  }, 240_000);
  afterAll(async () => {
    await services?.stop();
  });

  it('scraped every service, each with its own metrics beside the HTTP ones', () => {
    expect(exported.families.intake.get('http_requests_total')).toBe('counter');
    expect(exported.families.triage.get('triage_incidents_triaged_total')).toBe('counter');
    expect(exported.families.notification.get('notification_delivery_latency_seconds')).toBe('histogram');
    expect(exported.families.audit.get('watchfloor_audit_chain_length')).toBe('gauge');
    // The list of outside metrics stays outside: none of them is a service's.
    expect(Object.keys(NOT_FROM_A_SERVICE).filter((name) => exported.series.has(name))).toEqual([]);
  });

  it('the dashboard uses only metrics a service serves', () => {
    expect(unknownMetrics(dashboardExpressions(dashboard), exported)).toEqual([]);
  });

  it('the alert rules use only metrics a service serves', () => {
    expect(unknownMetrics(ruleExpressions(rules), exported)).toEqual([]);
  });

  it('the rules\' unit tests feed them series under names a service serves', () => {
    expect(unknownMetrics(ruleTestSeries(), exported)).toEqual([]);
  });

  it('would catch a misspelt metric, or a histogram used by its bare name', () => {
    const broken: Dashboard = JSON.parse(JSON.stringify(dashboard)) as Dashboard;
    const panel = allPanels(broken).find((candidate) => candidate.targets?.[0]?.expr?.includes('watchfloor_outbox_pending'));
    const target = panel?.targets?.[0];
    if (!target?.expr) throw new Error('no outbox pending panel to break');
    target.expr = target.expr.replace('watchfloor_outbox_pending', 'watchfloor_outbox_pendng');
    expect(unknownMetrics(dashboardExpressions(broken), exported)).toEqual([`watchfloor_outbox_pendng (panel "${panel?.title}" A)`]);
    expect(unknownMetrics([{ where: 'x', expr: 'rate(http_request_duration_seconds[5m])' }], exported)).toEqual(['http_request_duration_seconds (x)']);
  });

  it('shows or alerts on every metric the operations guide tells operators to watch', () => {
    const named = metricsTheGuideNames();
    expect(named).toEqual(expect.arrayContaining(['up', 'http_requests_total', 'http_request_duration_seconds', 'watchfloor_audit_events_total']));
    const used = families([...dashboardExpressions(dashboard), ...ruleExpressions(rules)], exported);
    expect(named.filter((name) => !used.has(name))).toEqual([]);
  });
});

describe('grafana-dashboard.json', () => {
  const dashboard = readDashboard();
  const panels = allPanels(dashboard);

  it('is a Grafana 10/11 dashboard choosing its Prometheus through ${datasource}', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }));
    const queried = panels.filter((panel) => panel.type !== 'row');
    expect(queried.filter((panel) => panel.datasource?.uid !== '${datasource}').map((panel) => panel.title)).toEqual([]);
    expect(queried.filter((panel) => !panel.targets?.length || panel.targets.some((target) => !target.expr?.trim())).map((panel) => panel.title)).toEqual([]);
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
  });

  it('has a row for each part of the pipeline', () => {
    const rows = panels.filter((panel) => panel.type === 'row').map((panel) => panel.title.toLowerCase());
    for (const part of ['targets', 'intake', 'pipeline', 'triage', 'notification', 'audit']) {
      expect(rows.some((title) => title.startsWith(part))).toBe(true);
    }
  });
});

describe('alerts.yml', () => {
  const rules = readRules();
  const alerts = rules.groups.flatMap((group) => group.rules);

  it('gives every alert a wait, a severity, a summary and the guide\'s section as runbook', () => {
    expect(alerts.length).toBeGreaterThan(0);
    const problems = alerts.flatMap((rule) => [
      ...(rule.alert ? [] : [`${rule.expr}: not an alert`]),
      ...(/^\d+[smh]$/.test(rule.for ?? '') ? [] : [`${rule.alert}: no for:`]),
      ...(['critical', 'warning'].includes(rule.labels?.['severity'] ?? '') ? [] : [`${rule.alert}: severity`]),
      ...(rule.annotations?.['summary'] ? [] : [`${rule.alert}: no summary`]),
      ...(rule.annotations?.['runbook_url']?.endsWith(WATCH_ANCHOR) ? [] : [`${rule.alert}: runbook_url`]),
    ]);
    expect(problems).toEqual([]);
    expect(new Set(alerts.map((rule) => rule.alert)).size).toBe(alerts.length);
    // The runbook anchor is the heading GitHub makes it from.
    expect(GUIDE).toContain(`\n${WATCH_HEADING}\n`);
  });

  it('passes `promtool check rules`', () => {
    const result = promtool(['check', 'rules', RULES_FILE]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(result.status).toBe(0);
  });

  it('fires, and stays quiet, as its unit tests expect (`promtool test rules alerts.test.yml`), each alert tested', () => {
    const tested = new Set([...readFileSync(RULE_TESTS_FILE, 'utf8').matchAll(/^\s+alertname: (\w+)$/gm)].map((match) => match[1]));
    expect(alerts.map((rule) => rule.alert ?? rule.expr).filter((name) => !tested.has(name))).toEqual([]);
    const result = promtool(['test', 'rules', RULE_TESTS_FILE]);
    expect(result.stdout).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});

describe('prometheus.yml, compose.yml and kustomization.yaml', () => {
  const COMPOSE_OVERLAY = join(MONITORING_DIR, 'compose.yml');

  /** `docker-compose config` of docker-compose.yml with compose.yml, as the README runs it. */
  function composeConfig(env: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'wf-monitoring-'));
    try {
      const envFile = join(dir, '.env');
      const init = spawnSync(join(REPO_ROOT, 'deploy', 'compose', 'init-env.sh'), [envFile], { encoding: 'utf8' });
      if (init.status !== 0) throw new Error(`init-env.sh failed: ${init.stderr}`);
      const args = ['--project-directory', REPO_ROOT, '-f', join(REPO_ROOT, 'docker-compose.yml'), '-f', COMPOSE_OVERLAY, '--env-file', envFile, 'config'];
      const result = spawnSync('docker-compose', args, { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', ...env } });
      if (result.error) throw new Error(`docker-compose is not on PATH (${result.error.message}): install it, e.g. apt-get install docker-compose (Debian)`);
      return result;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('prometheus.yml passes `promtool check config` (its rule files included)', () => {
    const result = promtool(['check', 'config', join(MONITORING_DIR, 'prometheus.yml')]);
    expect(result.stdout).toContain('SUCCESS: 1 rule files found');
    expect(result.status).toBe(0);
  });

  it('compose.yml adds Prometheus, Grafana and the exporter to the stack, with every mounted file where the others look for it', () => {
    expect(composeConfig({}).stderr).toMatch(/GRAFANA_ADMIN_PASSWORD/);
    const result = composeConfig({ GRAFANA_ADMIN_PASSWORD: 'a-test-password' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const config = parse(result.stdout) as ComposeFile;
    expect(Object.keys(config.services)).toEqual(expect.arrayContaining(['intake', 'triage', 'notification', 'audit', 'nats', 'nats-exporter', 'prometheus', 'grafana']));
    const mounts = ['prometheus', 'grafana'].flatMap((name) => {
      const service = config.services[name];
      return service ? bindMounts(service) : [];
    });
    expect(mounts.filter((mount) => !existsSync(mount.source)).map((mount) => mount.source)).toEqual([]);
    const at = (target: string) => mounts.find((mount) => mount.target === target)?.source;
    // Prometheus reads its rule files beside its configuration.
    const prometheusConfig = at('/etc/prometheus/prometheus.yml');
    expect(prometheusConfig).toBe(join(MONITORING_DIR, 'prometheus.yml'));
    const ruleFiles = (parse(readFileSync(prometheusConfig as string, 'utf8')) as { rule_files: string[] }).rule_files;
    expect(ruleFiles.map((file) => at(posix.join('/etc/prometheus', file)))).toEqual([RULES_FILE]);
    // Grafana's dashboard provider reads the folder the dashboard is mounted in.
    const provider = parse(readFileSync(join(MONITORING_DIR, 'grafana', 'provisioning', 'dashboards', 'watchfloor.yml'), 'utf8')) as { providers: Array<{ options: { path: string } }> };
    const dashboardTarget = mounts.find((mount) => mount.source === DASHBOARD_FILE)?.target ?? '';
    expect(provider.providers.map((entry) => entry.options.path)).toEqual([posix.dirname(dashboardTarget)]);
    expect(at('/etc/grafana/provisioning')).toBe(join(MONITORING_DIR, 'grafana', 'provisioning'));
  });

  it('prometheus.yml scrapes the services where compose runs them', () => {
    const prometheus = parse(readFileSync(join(MONITORING_DIR, 'prometheus.yml'), 'utf8')) as { scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> };
    const watchfloor = prometheus.scrape_configs.find((job) => job.job_name === 'watchfloor');
    const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, { environment?: Record<string, unknown> }> };
    const expected = ['intake', 'triage', 'notification', 'audit'].map((service) => `${service}:${String(compose.services[service]?.environment?.['PORT'])}`);
    expect(watchfloor?.static_configs.flatMap((entry) => entry.targets)).toEqual(expected);
    // The job WatchfloorTargetDown watches.
    expect(readRules().groups.flatMap((group) => group.rules).find((rule) => rule.alert === 'WatchfloorTargetDown')?.expr).toContain('job="watchfloor"');
  });

  it('kustomization.yaml renders the dashboard and the rules as ConfigMaps, unchanged', () => {
    const objects = renderKustomization(posix.relative(posix.join(REPO_ROOT, 'deploy', 'kubernetes'), MONITORING_DIR));
    const data = Object.fromEntries(objects.map((object) => [object.metadata.name, (object as unknown as { data: Record<string, string> }).data]));
    expect(objects.map((object) => object.kind)).toEqual(['ConfigMap', 'ConfigMap']);
    expect(data['watchfloor-grafana-dashboard']?.['watchfloor.json']).toBe(readFileSync(DASHBOARD_FILE, 'utf8'));
    expect(data['watchfloor-prometheus-rules']?.['alerts.yml']).toBe(readFileSync(RULES_FILE, 'utf8'));
    expect(objects.find((object) => object.metadata.name === 'watchfloor-grafana-dashboard')?.metadata.labels?.['grafana_dashboard']).toBe('1');
  });
});
