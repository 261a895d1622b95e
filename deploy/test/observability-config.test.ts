/**
 * The shipped Prometheus config, rules and Grafana dashboard, checked offline: promtool
 * validates and unit-tests them; every alert is documented and tested both ways; every
 * metric a query names is one the processes expose (support/metric-names.ts).
 */
import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { knownMetricNames, wrenServices } from './support/metric-names.js';
import {
  allPanels,
  dashboardQueries,
  datasourceRefs,
  isRow,
  loadDashboard,
} from './support/observability-dashboard.js';
import {
  dashboardFiles,
  dashboardProvidersPath,
  loadAlertRuleTests,
  loadDatasources,
  loadRules,
  prometheusConfigPath,
  prometheusDir,
  readYaml,
  ruleFiles,
  ruleName,
  ruleQueries,
  ruleTestFiles,
  runbookAnchors,
  runbookPath,
} from './support/observability-files.js';
import { promtool } from './support/observability-tools.js';
import { metricNamesIn, metricNamesInVariableQuery, unknownMetricNames } from './support/promql-metric-names.js';

const REQUIRED_ALERTS = [
  'WrenTargetDown',
  'WrenHighHttpErrorRate',
  'WrenHighHttpLatencyP99',
  'WrenGrpcServerErrors',
  'WrenOutboxLag',
  'WrenOutboxBacklog',
  'WrenPushFailures',
  'WrenPushQueueBacklog',
  'WrenDbPoolSaturated',
  'WrenEventLoopLag',
];

const rules = loadRules();
const alerts = rules.filter(({ rule }) => rule.alert);
const recordingRuleNames = rules.flatMap(({ rule }) => (rule.record ? [rule.record] : []));
const known = knownMetricNames(recordingRuleNames);

describe('prometheus', () => {
  test('promtool accepts prometheus.yml and finds its rule files', () => {
    const run = promtool(['check', 'config', prometheusConfigPath]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain(`${ruleFiles().length} rule files found`);
  });

  test('prometheus.yml scrapes each process under its own name, every 15 s', () => {
    const config = readYaml<{
      global: { scrape_interval: string };
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    }>(prometheusConfigPath);
    expect(config.global.scrape_interval).toBe('15s');
    const targets = Object.fromEntries(
      config.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((c) => c.targets)]),
    );
    expect(targets).toEqual({
      'api-gateway': ['api-gateway:9460'],
      'user-service': ['user-service:9461'],
      'post-service': ['post-service:9462'],
      'notification-service': ['notification-service:9463'],
      prometheus: ['localhost:9090'],
    });
    expect(Object.keys(targets)).toEqual(expect.arrayContaining([...wrenServices]));
  });

  test.each(ruleFiles().map((file) => [basename(file), file]))('promtool accepts %s', (_name, file) => {
    const run = promtool(['check', 'rules', file]);
    expect(run.status, run.output).toBe(0);
  });

  test('rule group names are unique across the rule files', () => {
    const groups = ruleFiles().flatMap((file) => readYaml<{ groups: { name: string }[] }>(file).groups);
    const names = groups.map((group) => group.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  test('promtool unit tests of the alerts pass', () => {
    const files = ruleTestFiles().map((file) => relative(prometheusDir, file));
    expect(files.length).toBeGreaterThan(0);
    const run = promtool(['test', 'rules', ...files], prometheusDir);
    expect(run.status, run.output).toBe(0);
  });

  test('the required alerts exist, each with a unit test where it fires and one where it stays silent', () => {
    const names = alerts.map(({ rule }) => ruleName(rule));
    expect(names).toEqual(expect.arrayContaining(REQUIRED_ALERTS));
    const cases = loadAlertRuleTests();
    for (const name of names) {
      const mine = cases.filter((c) => c.alertname === name);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length > 0),
        `${name}: no test expects it to fire`,
      ).toBe(true);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length === 0),
        `${name}: no test expects it silent`,
      ).toBe(true);
    }
  });

  test('every alert has a severity, a summary, a description and a runbook section', () => {
    const anchors = runbookAnchors();
    for (const { rule } of alerts) {
      const name = ruleName(rule);
      expect(['critical', 'warning'], name).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, name).toBeTruthy();
      expect(rule.annotations?.description, name).toBeTruthy();
      const anchor = /^docs\/operations\.md#(.+)$/.exec(rule.annotations?.runbook_url ?? '')?.[1];
      expect(anchor, `${name}: runbook_url ${rule.annotations?.runbook_url}`).toBe(name.toLowerCase());
      expect(anchors.has(anchor ?? ''), `${name}: docs/operations.md has no heading for #${anchor}`).toBe(true);
    }
  });
});

describe('grafana', () => {
  const datasources = loadDatasources();
  const dashboards = dashboardFiles().map((file) => ({ file: basename(file), dashboard: loadDashboard(file) }));

  test('provisions Prometheus and Jaeger under fixed uids, and the dashboards folder', () => {
    expect(datasources.map(({ uid, type, url }) => ({ uid, type, url }))).toEqual([
      { uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' },
      { uid: 'jaeger', type: 'jaeger', url: 'http://jaeger:16686' },
    ]);
    const providers = readYaml<{ providers: { type: string; options: { path: string } }[] }>(dashboardProvidersPath);
    expect(providers.providers).toEqual([
      expect.objectContaining({
        type: 'file',
        options: expect.objectContaining({ path: '/var/lib/grafana/dashboards' }),
      }),
    ]);
  });

  test('wren-overview has the service variable and the rows the runbook describes', () => {
    const overview = dashboards.find(({ dashboard }) => dashboard.uid === 'wren-overview')?.dashboard;
    expect(overview).toBeDefined();
    if (!overview) return;
    expect(overview.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(overview.templating.list.map((variable) => variable.name)).toContain('service');
    const rows = overview.panels.filter(isRow).map((row) => row.title);
    expect(rows).toHaveLength(7);
    // docs/operations.md's "Dashboards" section describes each row under its title.
    const runbook = readFileSync(runbookPath, 'utf8');
    for (const row of rows) expect(runbook, row).toContain(`**${row}**`);
  });

  test.each(dashboards)('$file: panel ids are unique', ({ dashboard }) => {
    const ids = allPanels(dashboard).map((panel) => panel.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size, `duplicate ids in ${ids.join(', ')}`).toBe(ids.length);
  });

  test.each(dashboards)('$file: every panel and variable uses a provisioned datasource', ({ dashboard }) => {
    const uids = new Set(datasources.map((d) => d.uid));
    const refs = datasourceRefs(dashboard);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => !uids.has(ref.uid ?? ''))).toEqual([]);
  });
});

describe('metric names', () => {
  test('the rules use only exposed metrics and recording rules', () => {
    expect(unknownMetricNames(ruleQueries(rules), known)).toEqual([]);
  });

  test('the dashboards use only exposed metrics and recording rules', () => {
    for (const file of dashboardFiles()) {
      const queries = dashboardQueries(loadDashboard(file));
      expect(queries.length).toBeGreaterThan(0);
      expect(unknownMetricNames(queries, known), basename(file)).toEqual([]);
    }
  });

  test('the check catches a metric name that is not exposed', () => {
    const queries = [
      { where: 'good', expr: 'sum by (route) (rate(http_server_request_duration_seconds_count[5m]))' },
      {
        where: 'bad',
        expr: 'sum by (route) (rate(http_server_requests_total{service=~"$service"}[$__rate_interval]))',
      },
      { where: 'variable', expr: 'label_values(wren_made_up_gauge, service)', kind: 'grafana-variable' as const },
    ];
    expect(unknownMetricNames(queries, known)).toEqual([
      { where: 'bad', name: 'http_server_requests_total' },
      { where: 'variable', name: 'wren_made_up_gauge' },
    ]);
  });

  test.each([
    [
      'labels in matchers, by() and strings are not metrics',
      'sum by (service, le) (rate(a_bucket{route!="b"}[5m]))',
      ['a_bucket'],
    ],
    [
      'durations, offsets and numbers are not metrics',
      'rate(a[1h30m] offset 5m) > 1e-3 * 0.5 and b @ 1609746000',
      ['a', 'b'],
    ],
    [
      'keywords and functions are not metrics',
      'histogram_quantile(0.99, sum without (x) (c)) or on (y) group_left (z) d unless bool e',
      ['c', 'd', 'e'],
    ],
    ['group_left without a label list', 'a / ignoring (outcome) group_left b', ['a', 'b']],
    [
      'recording rule names and Grafana variables',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable, not a JS one.
      'level:a_b:rate5m{service=~"$service"} / ${scale} + $scale + c[$__rate_interval]',
      ['level:a_b:rate5m', 'c'],
    ],
    ['label_replace strings', 'label_replace(a, "dst", "$1", "src", "(.*)")', ['a']],
    ['escaped quotes in matchers', 'a{x="b\\"}c"}', ['a']],
  ])('the extractor: %s', (_what, expr, names) => {
    expect(metricNamesIn(expr)).toEqual(names);
  });

  test('the extractor reads the metric of label_values, not the label', () => {
    expect(metricNamesInVariableQuery('label_values(process_resident_memory_bytes, service)')).toEqual([
      'process_resident_memory_bytes',
    ]);
    expect(metricNamesInVariableQuery('label_values(service)')).toEqual([]);
  });
});
