/**
 * A real Prometheus for the live test: its config is the shipped prometheus.yml with the
 * targets pointed at a test system, and a small client for its HTTP API.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { eventually, spawnWatched } from '@wren/testkit';
import { stringify } from 'yaml';
import { prometheusConfigPath, readYaml } from './observability-files.js';
import { prometheusBinary } from './observability-tools.js';

interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  scheme?: string;
  static_configs: { targets: string[] }[];
}

interface PrometheusConfig {
  global: Record<string, unknown>;
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
}

/**
 * The shipped config, scraping `metricsUrls` (job name → full /metrics URL) every second
 * and itself at `selfAddress`. Job names and rule files stay; the rule globs become
 * absolute because the test config is written elsewhere.
 */
export function testPrometheusConfig(metricsUrls: Record<string, string>, selfAddress: string): string {
  const config = readYaml<PrometheusConfig>(prometheusConfigPath);
  config.global = { ...config.global, scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' };
  config.rule_files = config.rule_files.map((glob) =>
    isAbsolute(glob) ? glob : resolve(dirname(prometheusConfigPath), glob),
  );
  const urls: Record<string, string> = { ...metricsUrls, prometheus: `http://${selfAddress}/metrics` };
  for (const job of config.scrape_configs) {
    const url = urls[job.job_name];
    if (!url) throw new Error(`no test target for the shipped job ${job.job_name}`);
    const { protocol, host, pathname } = new URL(url);
    job.scheme = protocol.replace(/:$/, '');
    job.metrics_path = pathname;
    job.static_configs = [{ targets: [host] }];
  }
  return stringify(config);
}

export interface RunningPrometheus {
  url: string;
  /** Everything Prometheus has logged, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startPrometheus(options: {
  configPath: string;
  dataDir: string;
  listenAddress: string;
}): Promise<RunningPrometheus> {
  const { child, output, exited, spawnError } = spawnWatched(prometheusBinary, [
    `--config.file=${options.configPath}`,
    `--storage.tsdb.path=${options.dataDir}`,
    `--web.listen-address=${options.listenAddress}`,
    '--log.level=warn',
  ]);
  const url = `http://${options.listenAddress}`;
  const running: RunningPrometheus = {
    url,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killed);
    },
  };
  try {
    await eventually(async () => {
      const failed = spawnError();
      if (failed) throw new Error(`cannot run ${prometheusBinary}: ${failed.message}`);
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${output()}`);
      return (await fetch(`${url}/-/ready`)).ok;
    }, 30_000);
  } catch (error) {
    await running.stop();
    throw new Error(`prometheus did not become ready: ${String(error)}\n${output()}`);
  }
  return running;
}

/** GET an API path of Prometheus and return its `data`, or throw with its error. */
export async function prometheusApi<T>(prometheus: RunningPrometheus, path: string): Promise<T> {
  const response = await fetch(`${prometheus.url}${path}`);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`GET ${path}: ${body.error ?? response.status}`);
  return body.data;
}

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query's vector. */
export const instantQuery = (prometheus: RunningPrometheus, promql: string): Promise<Sample[]> =>
  prometheusApi<{ result: Sample[] }>(prometheus, `/api/v1/query?query=${encodeURIComponent(promql)}`).then(
    (data) => data.result,
  );

export interface Target {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

export const activeTargets = (prometheus: RunningPrometheus): Promise<Target[]> =>
  prometheusApi<{ activeTargets: Target[] }>(prometheus, '/api/v1/targets?state=active').then(
    (data) => data.activeTargets,
  );

export interface LoadedRuleGroup {
  name: string;
  file: string;
  rules: { name: string; type: 'recording' | 'alerting'; health: 'ok' | 'err' | 'unknown'; lastError?: string }[];
}

export const loadedRuleGroups = (prometheus: RunningPrometheus): Promise<LoadedRuleGroup[]> =>
  prometheusApi<{ groups: LoadedRuleGroup[] }>(prometheus, '/api/v1/rules').then((data) => data.groups);
