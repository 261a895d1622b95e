/** The result of one workload's run: the JSON kept in bench/results/ and its Markdown summary. */
import { cpus, release, totalmem, type } from 'node:os';
import type { CeilingResult } from './ceiling.js';
import type { PhaseTiming, TextStats } from './seed.js';
import { type StepResult, TARGET_P99_MS } from './steps.js';

export interface MachineInfo {
  cpus: number;
  model: string;
  memory_gb: number;
  node: string;
  os: string;
  postgres: string | undefined;
}

export interface BenchReport {
  workload: string;
  graph: string;
  seed: number;
  quick: boolean;
  label: string;
  date: string;
  target: string;
  graph_stats: { users: number; follows: number; max_degree: number };
  seeding: {
    reused: boolean;
    startup_seconds: number | undefined;
    phases: Record<string, PhaseTiming>;
    post_text: TextStats;
    counts: Record<string, number> | undefined;
    storage_mb: Record<string, number> | undefined;
    cursors: { walked_users: number; requests: number; seconds: number };
  };
  settings: {
    rates: number[];
    duration_s: number;
    warmup_s: number;
    connections: number;
    timeout_s: number;
    posts_per_user: string;
  };
  steps: StepResult[];
  max_rps_at_p99_50ms: number;
  ceiling: CeilingResult | null;
  /** Why there is no ceiling, when pgbench failed. */
  ceiling_error?: string;
  /**
   * How much of the database's own throughput the whole stack reaches: the rate at p99 ≤ 50 ms,
   * and the highest achieved rate of any step, each divided by pgbench's tps.
   */
  fraction_of_ceiling: { at_p99_50ms: number; peak_achieved: number } | null;
  machine: MachineInfo;
}

export function machineInfo(postgres: string | undefined): MachineInfo {
  const cores = cpus();
  return {
    cpus: cores.length,
    model: cores[0]?.model ?? 'unknown',
    memory_gb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    os: `${type()} ${release()}`,
    postgres,
  };
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 1 : 0) : '–');

function errorsText(errors: Record<string, number>): string {
  const entries = Object.entries(errors);
  return entries.length === 0 ? '0' : entries.map(([kind, count]) => `${kind}: ${count}`).join(', ');
}

function cpuText(step: StepResult): string {
  return Object.entries(step.processes)
    .map(([name, usage]) => `${name} ${usage.cores.toFixed(2)}`)
    .join(', ');
}

function rssText(step: StepResult): string {
  return Object.entries(step.processes)
    .map(([name, usage]) => `${name} ${Math.round(usage.peak_rss_mb)}`)
    .join(', ');
}

export function renderMarkdown(report: BenchReport, svgFile: string): string {
  const lines: string[] = [];
  const { seeding } = report;
  lines.push(
    `# Wren bench: ${report.workload} on ${report.graph}${report.quick ? ' (quick)' : ''}`,
    '',
    `${report.date}, seed ${report.seed}, target ${report.target}. ${report.machine.cpus} × ${report.machine.model}, ` +
      `${report.machine.memory_gb} GB, Node ${report.machine.node}, PostgreSQL ${report.machine.postgres ?? '?'}, ${report.machine.os}.`,
    '',
    `**Highest rate with p99 ≤ ${TARGET_P99_MS} ms: ${report.max_rps_at_p99_50ms} req/s.**` +
      (report.ceiling
        ? ` The same SQL under pgbench: ${report.ceiling.pgbench_tps.toFixed(0)} tps` +
          (report.fraction_of_ceiling === null
            ? '.'
            : `: the stack reaches ${(report.fraction_of_ceiling.at_p99_50ms * 100).toFixed(0)}% of it within the objective, ` +
              `${(report.fraction_of_ceiling.peak_achieved * 100).toFixed(0)}% at its highest achieved rate.`)
        : ''),
    '',
    `![latency vs rate](${svgFile})`,
    '',
    '## Steps',
    '',
    `Open loop: each step sends at a fixed rate for ${report.settings.duration_s} s after ${report.settings.warmup_s} s of warm-up; ` +
      'latency counts from the intended send time. CPU is in cores (CPU seconds per wall second), RSS in MB (peak of 1 s samples).',
    '',
    '| offered | achieved | p50 ms | p90 ms | p99 ms | max ms | errors | CPU (cores) | RSS (MB) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
  );
  for (const step of report.steps) {
    lines.push(
      `| ${step.target_rps} | ${step.achieved_rps} | ${ms(step.p50_ms)} | ${ms(step.p90_ms)} | ${ms(step.p99_ms)} | ` +
        `${ms(step.max_ms)} | ${errorsText(step.errors)} | ${cpuText(step)} | ${rssText(step)} |`,
    );
  }
  const kinds = report.steps.flatMap((step) =>
    Object.entries(step.by_kind).map(([kind, result]) => ({ step, kind, result })),
  );
  if (new Set(kinds.map((entry) => entry.kind)).size > 1) {
    lines.push(
      '',
      '### By request kind',
      '',
      '| offered | kind | requests | p50 ms | p99 ms | errors |',
      '| ---: | --- | ---: | ---: | ---: | --- |',
    );
    for (const { step, kind, result } of kinds) {
      lines.push(
        `| ${step.target_rps} | ${kind} | ${result.requests} | ${ms(result.latency.p50_ms)} | ${ms(result.latency.p99_ms)} | ${errorsText(result.errors)} |`,
      );
    }
  }
  lines.push('', '## Seeding', '');
  if (seeding.startup_seconds !== undefined) lines.push(`- Wren started in ${seeding.startup_seconds} s`);
  for (const [phase, timing] of Object.entries(seeding.phases)) {
    const rate = timing.requests > 0 ? ` (${timing.requests} requests, ${timing.per_second}/s)` : '';
    const cores = Object.entries(timing.cores ?? {}).map(([name, used]) => `${name} ${used.toFixed(2)}`);
    lines.push(`- ${phase}: ${timing.seconds} s${rate}${cores.length > 0 ? `; cores: ${cores.join(', ')}` : ''}`);
  }
  lines.push(
    `- cursors: ${seeding.cursors.walked_users} users' timelines walked, ${seeding.cursors.requests} requests, ${seeding.cursors.seconds} s`,
    `- posts: ${seeding.post_text.posts}, ${seeding.post_text.mean_chars} characters and ${seeding.post_text.mean_mentions} mentions on average; ` +
      `${(seeding.post_text.body_shortened * 100).toFixed(0)}% had their 256-character body shortened and ` +
      `${(seeding.post_text.urls_dropped * 100).toFixed(0)}% lost URLs to fit 500 characters`,
  );
  if (seeding.counts) lines.push(`- post-service sees: ${JSON.stringify(seeding.counts)}`);
  if (seeding.storage_mb) lines.push(`- database sizes after seeding (MB): ${JSON.stringify(seeding.storage_mb)}`);
  if (report.ceiling) {
    const { ceiling } = report;
    lines.push(
      '',
      '## Ceiling (pgbench on the post-service database)',
      '',
      `\`${ceiling.command}\`: ${ceiling.pgbench_tps.toFixed(0)} tps, ${ceiling.latency_avg_ms} ms average, ` +
        `${ceiling.failed} failed. CPU: ${Object.entries(ceiling.processes)
          .map(([name, usage]) => `${name} ${usage.cores.toFixed(2)} cores`)
          .join(', ')}.`,
      '',
      ...ceiling.scripts.map(
        (script) => `- ${script.script} (weight ${script.weight}): ${script.tps} tps, ${script.latency_avg_ms} ms`,
      ),
      '',
      `Included: ${ceiling.included.join('; ')}.`,
      '',
      `Not included: ${ceiling.excluded.join('; ')}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
