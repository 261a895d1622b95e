import { describe, expect, it } from 'vitest';
import { parseOptions } from '../src/options.js';
import { machineInfo, renderMarkdown } from '../src/report.js';
import { buildReport, type ReferenceRun } from '../src/results.js';
import type { StepResult } from '../src/steps.js';
import { step } from './fixtures.js';

const usage = (cpu_seconds: number) => ({ cpu_seconds, cores: cpu_seconds / 10, peak_rss_mb: 100, hwm_mb: 100 });

function build(reference: ReferenceRun | undefined, wrenSteps?: StepResult[]) {
  const options = parseOptions(['--quick', '--rates', '100,300,600', '--duration', '10']);
  if (options === 'help') throw new Error('help');
  const wren = (post: number, pg: number) => ({
    'api-gateway': usage(post),
    'post-service': usage(post),
    postgres: usage(pg),
    'load-generator': usage(0.1),
    machine: usage(20),
  });
  return buildReport({
    options,
    workload: 'mixed',
    graph: { name: 'socfb-Reed98', userCount: 2, edges: [[0, 1]] },
    steps: wrenSteps ?? [
      step(100, 3, 12, { processes: wren(1, 1) }),
      step(300, 9, 45, { processes: wren(3, 2.9) }),
      step(600, 400, 3000, { achieved_rps: 450, processes: wren(4, 4) }),
    ],
    ceiling: undefined,
    ceilingError: undefined,
    machine: machineInfo('15'),
    reference,
    seeding: {
      reused: false,
      startup_seconds: 8,
      phases: {},
      post_text: {
        posts: 1,
        mean_chars: 1,
        mean_mentions: 0,
        mean_urls_drawn: 0,
        mean_urls_kept: 0,
        body_shortened: 0,
        urls_dropped: 0,
      },
      counts: undefined,
      storage_mb: undefined,
      cursors: { walked_users: 1, requests: 1, seconds: 1 },
    },
  });
}

const referenceRun = (): ReferenceRun => {
  const ref = (server: number, pg: number) => ({
    reference: usage(server),
    postgres: usage(pg),
    'load-generator': usage(0.1),
    machine: usage(20),
  });
  return {
    steps: [
      step(100, 1, 4, { processes: ref(0.4, 0.5) }),
      step(300, 2, 6, { processes: ref(1.2, 1.45) }),
      step(600, 3, 9, { processes: ref(2.4, 3) }),
    ],
    ceiling: undefined,
    ceilingError: 'pgbench exited 1',
    counts: { users: 2, follows: 2, posts: 0, home_timeline: 0 },
  };
};

describe('the report beside the reference server', () => {
  it('JSON: saturation, CPU per request of every step and at the quoted step, the reference and the ratios', () => {
    const json = JSON.parse(JSON.stringify(build(referenceRun())));
    expect(json.saturation_rps).toBe(450);
    // Quoted at 300 req/s (3000 requests in 10 s): 3 s of gateway CPU is 1000 µs each.
    expect(json.cpu_us_per_request).toEqual({
      'api-gateway': 1000,
      'post-service': 1000,
      postgres: 966.7,
      'load-generator': 33.3,
      total: 3000,
    });
    for (const each of json.steps) expect(each.cpu_us_per_request.total).toBeGreaterThan(0);
    expect(json.reference).toMatchObject({
      max_rps_at_p99_50ms: 600,
      saturation_rps: 600,
      cpu_us_per_request: { reference: 400, postgres: 500, 'load-generator': 16.7, total: 916.7 },
      ceiling: null,
      ceiling_error: 'pgbench exited 1',
    });
    expect(json.reference.steps).toHaveLength(3);
    expect(json.ratio_to_reference).toBe(0.5);
    // At 300 req/s (3000 requests): Wren 9 s of CPU, the reference 2.75 s; PostgreSQL 2.9 s against 1.45 s.
    expect(json.cpu_ratio_to_reference).toEqual({
      total: 3.273,
      postgres: 2,
      offered_rps: 300,
      within_objective: true,
    });
  });

  it('JSON without the reference: nulls', () => {
    const json = build(undefined);
    expect(json.reference).toBeNull();
    expect(json.ratio_to_reference).toBeNull();
    expect(json.cpu_ratio_to_reference).toBeNull();
    expect(renderMarkdown(json, 'x.svg')).not.toContain('reference server');
  });

  it('Markdown: a row per offered rate, the per-process table and the headline ratios', () => {
    const markdown = renderMarkdown(build(referenceRun()), 'x.svg');
    expect(markdown).toContain('## Wren beside the reference server');
    expect(markdown).toContain('Wren 300 req/s, the reference 600 req/s (ratio 0.5)');
    expect(markdown).toContain('Wren spends 3.273× the reference');
    expect(markdown).toContain('and 2× its PostgreSQL CPU');
    expect(markdown).toMatch(/^\| 100 \| 100 \| 12 \| 3100 \| 100 \| 4\.0 \| 1000 \|$/m);
    expect(markdown).toMatch(/^\| 600 \| 450 \| 3000 \| 2689 \| 600 \| 9\.0 \| 917 \|$/m);
    // The per-process table compares both at the common rate (300), not each at its own best.
    expect(markdown).toContain('by process, both at 300 req/s offered');
    expect(markdown).toMatch(/^\| postgres \| 967 \| 483 \|$/m);
    expect(markdown).toMatch(/^\| reference \| – \| 400 \|$/m);
    expect(markdown).toMatch(/^\| total \| 3000 \| 917 \|$/m);
    expect(markdown).toContain("The reference's ceiling failed: pgbench exited 1");
  });

  it('Markdown: a sweep that stopped early leaves dashes; missing the objective compares the lowest rate', () => {
    const report = build(referenceRun(), [step(100, 60, 900, { processes: { postgres: usage(1) } })]);
    const markdown = renderMarkdown(report, 'x.svg');
    expect(markdown).toMatch(/^\| 300 \| – \| – \| – \| 300 \| 6\.0 \| \d+ \|$/m);
    expect(markdown).toContain('At 100 req/s, the lowest rate both served (no rate met p99 ≤ 50 ms on both sides)');
    const failed = build(referenceRun(), [step(100, 60, 900, { error_rate: 0.5 })]);
    expect(renderMarkdown(failed, 'x.svg')).toContain('no CPU ratio');
  });
});
