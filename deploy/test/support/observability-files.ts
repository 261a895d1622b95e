/** Where the shipped observability files are, and typed views of their contents. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Query } from './promql-metric-names.js';

export const observabilityDir = resolve(import.meta.dirname, '..', '..', 'observability');
export const prometheusDir = join(observabilityDir, 'prometheus');
export const prometheusConfigPath = join(prometheusDir, 'prometheus.yml');
export const rulesDir = join(prometheusDir, 'rules');
export const ruleTestsDir = join(rulesDir, 'tests');
export const grafanaDir = join(observabilityDir, 'grafana');
export const datasourcesPath = join(grafanaDir, 'provisioning', 'datasources', 'datasources.yaml');
export const dashboardProvidersPath = join(grafanaDir, 'provisioning', 'dashboards', 'dashboards.yaml');
export const dashboardsDir = join(grafanaDir, 'dashboards');
// The runbook: one section per alert, and the dashboard rows, in the operations guide.
export const runbookPath = resolve(import.meta.dirname, '..', '..', '..', 'docs', 'operations.md');

const yamlFilesIn = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
    .sort()
    .map((name) => join(dir, name));

/** The rule files Prometheus loads (rules/*.yml; the unit tests live one folder down). */
export const ruleFiles = (): string[] => yamlFilesIn(rulesDir);
export const ruleTestFiles = (): string[] => yamlFilesIn(ruleTestsDir);
export const dashboardFiles = (): string[] =>
  readdirSync(dashboardsDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(dashboardsDir, name));

export const readYaml = <T>(path: string): T => parse(readFileSync(path, 'utf8')) as T;

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: Rule[];
}

export interface LoadedRule {
  file: string;
  group: string;
  rule: Rule;
}

export function loadRules(): LoadedRule[] {
  return ruleFiles().flatMap((file) =>
    readYaml<{ groups: RuleGroup[] }>(file).groups.flatMap((group) =>
      group.rules.map((rule) => ({ file, group: group.name, rule })),
    ),
  );
}

export const ruleName = (rule: Rule): string => rule.alert ?? rule.record ?? '(unnamed)';

export const ruleQueries = (rules: readonly LoadedRule[]): Query[] =>
  rules.map(({ group, rule }) => ({ where: `rule ${group}/${ruleName(rule)}`, expr: rule.expr }));

/** One `promtool test rules` case, as far as the coverage check needs it. */
export interface AlertRuleTest {
  eval_time: string;
  alertname: string;
  exp_alerts?: unknown[];
}

export function loadAlertRuleTests(): AlertRuleTest[] {
  return ruleTestFiles().flatMap((file) =>
    readYaml<{ tests: { alert_rule_test?: AlertRuleTest[] }[] }>(file).tests.flatMap(
      (test) => test.alert_rule_test ?? [],
    ),
  );
}

export interface Datasource {
  name: string;
  uid: string;
  type: string;
  url: string;
}

export const loadDatasources = (): Datasource[] => readYaml<{ datasources: Datasource[] }>(datasourcesPath).datasources;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

export function runbookAnchors(): Set<string> {
  const headings = readFileSync(runbookPath, 'utf8').match(/^#{1,6} .+$/gm) ?? [];
  return new Set(headings.map((line) => githubAnchor(line.replace(/^#+ /, ''))));
}
