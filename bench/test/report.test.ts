import { describe, expect, it } from 'vitest';
import { CEILING_SCOPE, parsePgbenchOutput } from '../src/ceiling.js';
import { parseOptions } from '../src/options.js';
import { type BenchReport, machineInfo, renderMarkdown } from '../src/report.js';
import { buildReport } from '../src/results.js';
import { maxRpsWithin, pastLimits, type StepResult, toStepResult } from '../src/steps.js';
import { step } from './fixtures.js';

const PGBENCH = `transaction type: multiple scripts
scaling factor: 1
query mode: simple
number of clients: 16
number of threads: 2
maximum number of tries: 1
duration: 30 s
number of transactions actually processed: 30828
number of failed transactions: 0 (0.000%)
latency average = 15.572 ms
initial connection time = 21.087 ms
tps = 1027.461441 (without initial connection time)
SQL script 1: /x/home.sql
 - weight: 6 (targets 60.0% of total)
 - 18488 transactions (60.0% of total, tps = 616.278129)
 - number of failed transactions: 0 (0.000%)
 - latency average = 11.722 ms
SQL script 2: /x/user.sql
 - weight: 3 (targets 30.0% of total)
 - 9211 transactions (29.9% of total, tps = 307.046021)
 - latency average = 12.022 ms
SQL script 3: /x/compose.sql
 - weight: 1 (targets 10.0% of total)
 - 3124 transactions (10.1% of total, tps = 104.137291)
 - latency average = 46.954 ms
`;

function report(): BenchReport {
  const steps = [
    step(250, 3, 12),
    step(1000, 9, 45),
    step(2000, 400, 3000, { errors: { http_504: 30 }, error_rate: 0.015 }),
  ];
  const ceiling = {
    ...parsePgbenchOutput(PGBENCH, [
      ['home.sql', 6],
      ['user.sql', 3],
      ['compose.sql', 1],
    ]),
    clients: 16,
    threads: 2,
    seconds: 30,
    processes: {},
    command: 'pgbench …',
    ...CEILING_SCOPE,
  };
  const options = parseOptions(['--quick']);
  if (options === 'help') throw new Error('help');
  return buildReport({
    options,
    workload: 'mixed',
    graph: {
      name: 'socfb-Reed98',
      userCount: 4,
      edges: [
        [0, 1],
        [0, 2],
        [0, 3],
        [1, 2],
      ],
    },
    steps,
    ceiling,
    ceilingError: undefined,
    machine: machineInfo('17.6'),
    seeding: {
      reused: false,
      startup_seconds: 8,
      phases: { register: { seconds: 20, requests: 962, per_second: 48, cores: { 'user-service': 0.8 } } },
      post_text: {
        posts: 10,
        mean_chars: 480,
        mean_mentions: 3.5,
        mean_urls_drawn: 3.5,
        mean_urls_kept: 3,
        body_shortened: 0.6,
        urls_dropped: 0.2,
      },
      counts: { posts: 10 },
      storage_mb: { wren_posts: 24 },
      cursors: { walked_users: 100, requests: 700, seconds: 2 },
    },
  });
}

describe('the sweep rules', () => {
  it('stops after a step with p99 over 1 s or more than 1% errors', () => {
    expect(pastLimits({ p99_ms: 999, error_rate: 0.01 })).toBe(false);
    expect(pastLimits({ p99_ms: 1001, error_rate: 0 })).toBe(true);
    expect(pastLimits({ p99_ms: 10, error_rate: 0.011 })).toBe(true);
    expect(pastLimits({ p99_ms: Number.NaN, error_rate: 0 })).toBe(true);
  });

  it('headlines the highest achieved rate whose p99 met 50 ms without errors', () => {
    expect(maxRpsWithin(report().steps)).toBe(1000);
    expect(maxRpsWithin([step(250, 60, 80)])).toBe(0);
    expect(maxRpsWithin([step(250, 3, 12, { error_rate: 0.5 })])).toBe(0);
  });

  it('turns a load-generator result into a step', () => {
    const latency = { count: 2, p50_ms: 1, p90_ms: 2, p99_ms: 3, max_ms: 4, mean_ms: 2 };
    const result = toStepResult(
      {
        target_rps: 100,
        achieved_rps: 99,
        requests: 2,
        ok: 1,
        errors: { timeout: 1 },
        error_rate: 0.5,
        latency,
        send_lag_p99_ms: 0.2,
        max_in_flight: 2,
        by_kind: {},
      },
      {},
    );
    expect(result).toMatchObject({ target_rps: 100, achieved_rps: 99, p50_ms: 1, p90_ms: 2, p99_ms: 3, max_ms: 4 });
    expect(result.errors).toEqual({ timeout: 1 });
  });
});

describe('parsePgbenchOutput', () => {
  it('reads the totals and each script', () => {
    const parsed = parsePgbenchOutput(PGBENCH, [
      ['home.sql', 6],
      ['user.sql', 3],
      ['compose.sql', 1],
    ]);
    expect(parsed).toMatchObject({ pgbench_tps: 1027.46, latency_avg_ms: 15.57, transactions: 30_828, failed: 0 });
    expect(parsed.scripts).toEqual([
      { script: 'home.sql', weight: 6, tps: 616.28, latency_avg_ms: 11.72 },
      { script: 'user.sql', weight: 3, tps: 307.05, latency_avg_ms: 12.02 },
      { script: 'compose.sql', weight: 1, tps: 104.14, latency_avg_ms: 46.95 },
    ]);
  });
});

describe('the result files', () => {
  it('JSON has the fields the issue asks for, and survives a round trip', () => {
    const json = JSON.parse(JSON.stringify(report()));
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining([
        'workload',
        'graph',
        'seed',
        'seeding',
        'steps',
        'max_rps_at_p99_50ms',
        'ceiling',
        'machine',
      ]),
    );
    expect(Object.keys(json.steps[0])).toEqual(
      expect.arrayContaining([
        'target_rps',
        'achieved_rps',
        'p50_ms',
        'p90_ms',
        'p99_ms',
        'max_ms',
        'errors',
        'processes',
      ]),
    );
    expect(json.ceiling.pgbench_tps).toBe(1027.46);
    expect(json).toMatchObject({ label: 'socfb-Reed98-mixed-quick', max_rps_at_p99_50ms: 1000, quick: true });
    expect(json.graph_stats).toEqual({ users: 4, follows: 8, max_degree: 3 });
    // 1000 req/s within the objective, and 1000 the highest without too many errors.
    expect(json.fraction_of_ceiling).toEqual({ at_p99_50ms: 0.973, peak_achieved: 0.973 });
    expect(json.settings).toMatchObject({
      rates: [250, 1000, 2000],
      duration_s: 10,
      warmup_s: 3,
      posts_per_user: '0-4',
    });
    expect(Object.keys(json.machine)).toEqual(expect.arrayContaining(['cpus', 'model', 'memory_gb', 'node', 'os']));
    expect(json.machine.cpus).toBeGreaterThan(0);
  });

  it('the Markdown summary has the headline, the chart, one table row per step and the ceiling', () => {
    const markdown = renderMarkdown(report(), 'chart.svg');
    expect(markdown).toContain('**Highest rate with p99 ≤ 50 ms: 1000 req/s.**');
    expect(markdown).toContain('![latency vs rate](chart.svg)');
    expect(markdown).toMatch(
      /^\| 2000 \| 2000 \| 400 \| .* \| http_504: 30 \| api-gateway 0\.50 \| api-gateway 180 \|$/m,
    );
    expect(markdown.match(/^\| \d+ \| \d+/gm)).toHaveLength(3);
    expect(markdown).toContain('1027 tps');
    expect(markdown).toContain('register: 20 s (962 requests, 48/s); cores: user-service 0.80');
  });

  it('lists the events each step left behind and how long they took to drain, when measured', () => {
    expect(renderMarkdown(report(), 'chart.svg')).not.toContain('### Events');
    const measured = report();
    measured.steps[0] = { ...(measured.steps[0] as StepResult), events: { pending_at_end: 0, drain_seconds: 0 } };
    measured.steps[1] = { ...(measured.steps[1] as StepResult), events: { pending_at_end: 42, drain_seconds: 0.75 } };
    const markdown = renderMarkdown(measured, 'chart.svg');
    expect(markdown).toContain('### Events');
    expect(markdown).toMatch(/^\| 250 \| 0 \| 0 \|$/m);
    expect(markdown).toMatch(/^\| 1000 \| 42 \| 0\.75 \|$/m);
  });
});
