/** The result of one workload's run: the JSON kept in bench/results/ and its Markdown summary. */
import { cpus, release, totalmem, type } from 'node:os';
import type { CeilingResult } from './ceiling.js';
import type { CpuRatio } from './cpu-per-request.js';
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

/** The reference server (bench/reference/) under the same workload, rates and generator. */
export interface ReferenceReport {
  max_rps_at_p99_50ms: number;
  saturation_rps: number;
  /** At its fastest step within p99 ≤ 50 ms (else its first): reference, postgres, load-generator, total. */
  cpu_us_per_request: Record<string, number> | null;
  counts: Record<string, number>;
  steps: StepResult[];
  ceiling: CeilingResult | null;
  ceiling_error?: string;
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
  /** The highest achieved rate of any step with at most 1% errors. */
  saturation_rps: number;
  /** µs of CPU per completed request of each process group, at the fastest step within p99 ≤ 50 ms (else the first). */
  cpu_us_per_request: Record<string, number> | null;
  ceiling: CeilingResult | null;
  /** Why there is no ceiling, when pgbench failed. */
  ceiling_error?: string;
  /**
   * How much of the database's own throughput the whole stack reaches: the rate at p99 ≤ 50 ms,
   * and the highest achieved rate of any step, each divided by pgbench's tps.
   */
  fraction_of_ceiling: { at_p99_50ms: number; peak_achieved: number } | null;
  /** Null when the reference server was not run. */
  reference: ReferenceReport | null;
  /** Wren's max_rps_at_p99_50ms ÷ the reference's. */
  ratio_to_reference: number | null;
  /** Wren's CPU µs per request ÷ the reference's, at the highest offered rate both met p99 ≤ 50 ms. */
  cpu_ratio_to_reference: CpuRatio | null;
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

const us = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(0));
const times = (value: number | null | undefined) => (value === null || value === undefined ? '–' : `${value}×`);

/** Wren and the reference server step by step, their CPU per request by process, and the ratios. */
export function referenceSection(report: BenchReport): string[] {
  const { reference } = report;
  if (!reference) return [];
  const cpu = report.cpu_ratio_to_reference;
  const lines = [
    '',
    '## Wren beside the reference server',
    '',
    'The reference (bench/reference/) is one Node process answering the same three requests with the least ' +
      'required work (Ed25519 token check, one statement per page, one transaction per post) on a copy of the ' +
      'same data; the same load generator sent it the same requests at the same rates.',
    '',
    `**Within p99 ≤ ${TARGET_P99_MS} ms: Wren ${report.max_rps_at_p99_50ms} req/s, the reference ` +
      `${reference.max_rps_at_p99_50ms} req/s (ratio ${report.ratio_to_reference ?? '–'}). ` +
      `Saturation: ${report.saturation_rps} against ${reference.saturation_rps} req/s.** ` +
      (cpu
        ? `At ${cpu.offered_rps} req/s, ${
            cpu.within_objective
              ? 'where both met the objective'
              : `the lowest rate both served (no rate met p99 ≤ ${TARGET_P99_MS} ms on both sides)`
          }, Wren spends ${times(cpu.total)} the reference's CPU per request in total and ` +
          `${times(cpu.postgres)} its PostgreSQL CPU.`
        : 'No offered rate was served by both: no CPU ratio.'),
    '',
    '| offered | Wren achieved | Wren p99 ms | Wren CPU µs/req | reference achieved | reference p99 ms | reference CPU µs/req |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const rates = [...new Set([...report.steps, ...reference.steps].map((step) => step.target_rps))].sort(
    (a, b) => a - b,
  );
  const cells = (step: StepResult | undefined) =>
    step ? `${step.achieved_rps} | ${ms(step.p99_ms)} | ${us(step.cpu_us_per_request?.total)}` : '– | – | –';
  for (const rate of rates) {
    const wren = report.steps.find((step) => step.target_rps === rate);
    const ref = reference.steps.find((step) => step.target_rps === rate);
    lines.push(`| ${rate} | ${cells(wren)} | ${cells(ref)} |`);
  }
  // Side by side at the same load when there is one; else each at its own quoted step.
  const atCommon = (steps: StepResult[]) => steps.find((step) => step.target_rps === cpu?.offered_rps);
  const ours = (cpu ? atCommon(report.steps)?.cpu_us_per_request : report.cpu_us_per_request) ?? {};
  const theirs = (cpu ? atCommon(reference.steps)?.cpu_us_per_request : reference.cpu_us_per_request) ?? {};
  const names = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].filter((name) => name !== 'total');
  lines.push(
    '',
    cpu
      ? `CPU µs per completed request by process, both at ${cpu.offered_rps} req/s offered:`
      : `CPU µs per completed request by process, each at its fastest step within p99 ≤ ${TARGET_P99_MS} ms (else its first):`,
    '',
    '| process | Wren | reference |',
    '| --- | ---: | ---: |',
    ...[...names, 'total'].map((name) => `| ${name} | ${us(ours[name])} | ${us(theirs[name])} |`),
  );
  if (reference.ceiling) {
    lines.push(
      '',
      `The reference's SQL under pgbench: ${reference.ceiling.pgbench_tps.toFixed(0)} tps, ` +
        `${reference.ceiling.latency_avg_ms} ms average (\`${reference.ceiling.command}\`)` +
        (report.ceiling ? `; Wren's: ${report.ceiling.pgbench_tps.toFixed(0)} tps.` : '.'),
    );
  } else if (reference.ceiling_error) {
    lines.push('', `The reference's ceiling failed: ${reference.ceiling_error}`);
  }
  return lines;
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
  const backlogs = report.steps.filter((step) => step.events !== undefined);
  if (backlogs.length > 0) {
    lines.push(
      '',
      '### Events',
      '',
      "Wren's events not yet applied by every subscriber at the end of each step's window, and the time " +
        'they took to drain (a subscriber that keeps up drains in under a second).',
      '',
      '| offered | pending at the end | drained in s |',
      '| ---: | ---: | ---: |',
      ...backlogs.map(
        (step) => `| ${step.target_rps} | ${step.events?.pending_at_end} | ${step.events?.drain_seconds} |`,
      ),
    );
  }
  lines.push(...referenceSection(report));
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
