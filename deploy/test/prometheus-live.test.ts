/**
 * The shipped Prometheus config and rules against the real system: a real Prometheus
 * scrapes every process of a test system (testkit), loads and evaluates every rule, and
 * finds the RED series and every metric that support/metric-names.ts says is exposed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { eventually, freePort } from '@wren/testkit';
import { startSystem, type TestSystem } from '@wren/testkit/system';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { exposedMetrics, presenceSeriesName, wrenServices } from './support/metric-names.js';
import { loadRules, ruleName } from './support/observability-files.js';
import {
  activeTargets,
  instantQuery,
  loadedRuleGroups,
  prometheusApi,
  type RunningPrometheus,
  startPrometheus,
  testPrometheusConfig,
} from './support/observability-prometheus.js';
import { sendTraffic } from './support/observability-traffic.js';

// Prometheus scrapes and evaluates every second here; 30 s is many rounds.
const WAIT_MS = 30_000;
const wrenJobs = new Set<string>(wrenServices);

let system: TestSystem | undefined;
let prometheus: RunningPrometheus | undefined;
let scratch: string | undefined;

beforeAll(async () => {
  system = await startSystem({ gatewayEnv: { RATE_LIMIT_AUTH_MAX: '1000', RATE_LIMIT_MAX: '10000' } });
  // Before the first scrape, so that every labelled series exists from then on.
  await sendTraffic(system.gatewayUrl);
  scratch = await mkdtemp(join(tmpdir(), 'wren-prometheus-'));
  const listenAddress = `127.0.0.1:${await freePort()}`;
  const configPath = join(scratch, 'prometheus.yml');
  await writeFile(configPath, testPrometheusConfig(system.metricsUrls, listenAddress));
  prometheus = await startPrometheus({ configPath, dataDir: join(scratch, 'data'), listenAddress });
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await system?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function running(): { prometheus: RunningPrometheus; system: TestSystem } {
  if (!prometheus || !system) throw new Error('beforeAll did not start the system and Prometheus');
  return { prometheus, system };
}

/** Waits until Prometheus has scraped every Wren process; fails with each target's last error. */
async function everyWrenTargetUp(prometheus: RunningPrometheus): Promise<void> {
  await eventually(async () => {
    const targets = (await activeTargets(prometheus)).filter((target) => wrenJobs.has(target.labels.job ?? ''));
    const jobs = targets.map((target) => target.labels.job).sort();
    const notUp = targets.filter((target) => target.health !== 'up');
    if (jobs.join() !== [...wrenJobs].sort().join() || notUp.length > 0) {
      const errors = notUp.map((t) => `${t.labels.job} ${t.scrapeUrl}: ${t.health} ${t.lastError}`);
      throw new Error(`jobs ${jobs.join(', ')}; not up: ${errors.join('; ')}`);
    }
    return true;
  }, WAIT_MS);
}

test('every Wren process is scraped under its job name and is up', async () => {
  await everyWrenTargetUp(running().prometheus);
});

test('every series of a Wren process carries service = its process name', async () => {
  const { prometheus } = running();
  await everyWrenTargetUp(prometheus);
  const jobs = [...wrenJobs].join('|');
  const pairs = await instantQuery(prometheus, `count by (job, service) ({job=~"${jobs}", __name__!~"up|scrape_.*"})`);
  expect(new Set(pairs.map((sample) => sample.metric.job))).toEqual(wrenJobs);
  expect(pairs.map((sample) => sample.metric).filter((labels) => labels.service !== labels.job)).toEqual([]);
});

test('the gateway has HTTP RED series by route template, and each service gRPC RED series', async () => {
  const { prometheus, system } = running();
  // A second round once every process has been scraped, so that rates (recording rules)
  // see the counters grow.
  await everyWrenTargetUp(prometheus);
  await sendTraffic(system.gatewayUrl);
  const http = await eventually(async () => {
    const samples = await instantQuery(
      prometheus,
      'sum by (job, service, method, route, status_code) (http_server_request_duration_seconds_count) > 0',
    );
    return samples.some((s) => s.metric.route === '/v1/posts/:id/like') ? samples : undefined;
  }, WAIT_MS);
  expect(new Set(http.map((s) => s.metric.job))).toEqual(new Set(['api-gateway']));
  const routes = http.map((s) => `${s.metric.method} ${s.metric.route} ${s.metric.status_code}`);
  expect(routes).toEqual(expect.arrayContaining(['POST /v1/posts 201', 'GET unmatched 404']));
  // Templates, never raw paths: no id or username in a route label.
  expect(http.filter((s) => /[0-9a-f]{8}-|obs_/.test(s.metric.route ?? ''))).toEqual([]);

  const grpc = await eventually(async () => {
    const samples = await instantQuery(
      prometheus,
      'sum by (job, grpc_service, grpc_method, grpc_code) (grpc_server_handled_total{grpc_code="OK"}) > 0',
    );
    const jobs = new Set(samples.map((s) => s.metric.job));
    return ['user-service', 'post-service', 'notification-service'].every((job) => jobs.has(job)) ? samples : undefined;
  }, WAIT_MS);
  // Full proto service names (wren.post.v1.PostService), not bare ones.
  expect(grpc.map((s) => s.metric.grpc_service).filter((name) => !/^(wren|grpc)\.[\w.]+$/.test(name ?? ''))).toEqual(
    [],
  );

  await eventually(async () => {
    const rates = await instantQuery(prometheus, 'service:http_server_requests:rate5m > 0');
    const grpcRates = await instantQuery(
      prometheus,
      'sum by (service) (service_grpc_method:grpc_server_handled:rate5m) > 0',
    );
    const seen = [...rates, ...grpcRates].map((s) => s.metric.service).sort();
    const wanted = ['api-gateway', 'notification-service', 'post-service', 'user-service'];
    if (seen.join() !== wanted.join()) throw new Error(`recording rules have rates > 0 only for ${seen.join(', ')}`);
    return true;
  }, WAIT_MS);
});

test('every rule group of the shipped rule files is loaded and evaluates without error', async () => {
  const { prometheus } = running();
  const expected = loadRules();
  const groups = await eventually(async () => {
    const loaded = await loadedRuleGroups(prometheus);
    const rules = loaded.flatMap((group) => group.rules);
    const failed = rules.filter((rule) => rule.health === 'err');
    if (failed.length > 0) throw new Error(failed.map((rule) => `${rule.name}: ${rule.lastError}`).join('; '));
    return rules.length === expected.length && rules.every((rule) => rule.health === 'ok') ? loaded : undefined;
  }, WAIT_MS);
  const shipped = new Set(expected.map((rule) => `${basename(rule.file)}/${rule.group}`));
  expect(groups.map((group) => `${basename(group.file)}/${group.name}`).sort()).toEqual([...shipped].sort());
  expect(groups.flatMap((group) => group.rules.map((rule) => rule.name)).sort()).toEqual(
    expected.map(({ rule }) => ruleName(rule)).sort(),
  );
});

test('every metric of metric-names.ts is exposed by the processes that should expose it', async () => {
  const { prometheus } = running();
  const expected = exposedMetrics.filter((metric) => !metric.onlyAfter);
  const names = expected.map(presenceSeriesName);
  const missing = await eventually(async () => {
    const samples = await instantQuery(prometheus, `count by (__name__, job) ({__name__=~"${names.join('|')}"})`);
    const seen = new Set(samples.map((s) => `${s.metric.__name__} ${s.metric.job}`));
    const absent = expected.flatMap((metric) =>
      metric.services
        .filter((job) => !seen.has(`${presenceSeriesName(metric)} ${job}`))
        .map((job) => `${metric.name} on ${job}`),
    );
    // Eventually fails with the last error, which names what is still missing.
    if (absent.length > 0) throw new Error(`not exposed: ${absent.join(', ')}`);
    return absent;
  }, WAIT_MS);
  expect(missing).toEqual([]);
  // And the plain list of names Prometheus knows holds each of them.
  const known = new Set(await prometheusApi<string[]>(prometheus, '/api/v1/label/__name__/values'));
  expect(names.filter((name) => !known.has(name))).toEqual([]);
});
