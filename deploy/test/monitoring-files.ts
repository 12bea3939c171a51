// deploy/monitoring read the way Grafana and Prometheus read it, and every PromQL expression
// in it gathered with where it comes from (for failure messages).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { metricNamesIn } from './promql';

export const MONITORING_DIR = join(__dirname, '..', 'monitoring');
export const DASHBOARD_FILE = join(MONITORING_DIR, 'grafana-dashboard.json');
export const RULES_FILE = join(MONITORING_DIR, 'alerts.yml');
export const RULE_TESTS_FILE = join(MONITORING_DIR, 'alerts.test.yml');

interface Target {
  expr?: string;
  refId?: string;
  datasource?: { type?: string; uid?: string };
}

/** The parts of a Grafana panel the checks read; rows hold their panels when collapsed. */
export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}

interface Variable {
  name: string;
  type: string;
  query?: string | { query?: string };
}

/** The parts of a Grafana dashboard JSON model the checks read. */
export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
}

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleFile {
  groups: Array<{ name: string; rules: Rule[] }>;
}

export function readDashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
}

export function readRules(): RuleFile {
  return parse(readFileSync(RULES_FILE, 'utf8')) as RuleFile;
}

/** Every panel, those inside collapsed rows included. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** An expression and where it is. */
export interface Expression {
  where: string;
  expr: string;
}

export function dashboardExpressions(dashboard: Dashboard): Expression[] {
  const fromPanels = allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}" ${target.refId ?? ''}`.trim(), expr: target.expr ?? '' })),
  );
  const fromVariables = dashboard.templating.list
    .filter((variable) => variable.type === 'query')
    .map((variable) => ({ where: `variable $${variable.name}`, expr: typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '') }));
  return [...fromPanels, ...fromVariables];
}

export function ruleExpressions(rules: RuleFile): Expression[] {
  return rules.groups.flatMap((group) => group.rules.map((rule) => ({ where: `rule ${rule.alert ?? rule.record}`, expr: rule.expr })));
}

/** Each metric used, with the places that use it. */
export function metricUses(expressions: Expression[]): Map<string, string[]> {
  const uses = new Map<string, string[]>();
  for (const { where, expr } of expressions) {
    for (const name of metricNamesIn(expr)) uses.set(name, [...(uses.get(name) ?? []), where]);
  }
  return uses;
}

/** The series `promtool test rules` feeds the alerts, as expressions (a series is a selector). */
export function ruleTestSeries(): Expression[] {
  const tests = parse(readFileSync(RULE_TESTS_FILE, 'utf8')) as { tests: Array<{ name: string; input_series: Array<{ series: string }> }> };
  return tests.tests.flatMap((test) => test.input_series.map(({ series }) => ({ where: `rule test "${test.name}"`, expr: series })));
}
