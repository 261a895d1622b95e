/** Turns a workload's sweep into its report, and writes the report's three files. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CeilingResult } from './ceiling.js';
import { cpuPerRequest, cpuRatio, quotedStep, rateRatio, saturationRps } from './cpu-per-request.js';
import { degrees, type SocialGraph } from './graph.js';
import { type BenchOptions, labelFor } from './options.js';
import { type BenchReport, type MachineInfo, type ReferenceReport, renderMarkdown } from './report.js';
import { maxRpsWithin, type StepResult } from './steps.js';
import { renderLatencyChart } from './svg-chart.js';
import type { WorkloadName } from './workload.js';

const share = (part: number, whole: number) => Math.round((part / whole) * 1000) / 1000;

/** The reference server's sweep of the same workload, when it ran. */
export interface ReferenceRun {
  steps: StepResult[];
  ceiling: CeilingResult | undefined;
  ceilingError: string | undefined;
  /** Rows loaded into its database. */
  counts: Record<string, number>;
}

/** Every step with its CPU per request (the sweep adds it; older or hand-made steps may lack it). */
const withCpu = (steps: StepResult[], durationSeconds: number) =>
  steps.map((step) =>
    step.cpu_us_per_request === undefined
      ? { ...step, cpu_us_per_request: cpuPerRequest(step, durationSeconds) }
      : step,
  );

const quotedCpu = (steps: StepResult[], durationSeconds: number) => {
  const step = quotedStep(steps);
  return step ? cpuPerRequest(step, durationSeconds) : null;
};

function referenceReport(run: ReferenceRun, durationSeconds: number): ReferenceReport {
  const steps = withCpu(run.steps, durationSeconds);
  return {
    max_rps_at_p99_50ms: maxRpsWithin(steps),
    saturation_rps: saturationRps(steps),
    cpu_us_per_request: quotedCpu(steps, durationSeconds),
    counts: run.counts,
    steps,
    ceiling: run.ceiling ?? null,
    ...(run.ceilingError ? { ceiling_error: run.ceilingError } : {}),
  };
}

export function buildReport(input: {
  options: BenchOptions;
  workload: WorkloadName;
  graph: SocialGraph;
  steps: StepResult[];
  seeding: BenchReport['seeding'];
  ceiling: CeilingResult | undefined;
  ceilingError: string | undefined;
  machine: MachineInfo;
  reference?: ReferenceRun | undefined;
}): BenchReport {
  const { options, graph, ceiling } = input;
  const duration = options.durationSeconds;
  const steps = withCpu(input.steps, duration);
  const atObjective = maxRpsWithin(steps);
  const peak = saturationRps(steps);
  const reference = input.reference ? referenceReport(input.reference, duration) : null;
  return {
    workload: input.workload,
    graph: graph.name,
    seed: options.seed,
    quick: options.quick,
    label: labelFor(options, input.workload),
    date: new Date().toISOString().slice(0, 10),
    target: options.target ?? 'started by the bench (scripts/start.ts)',
    graph_stats: { users: graph.userCount, follows: graph.edges.length * 2, max_degree: Math.max(...degrees(graph)) },
    seeding: input.seeding,
    settings: {
      rates: options.rates,
      duration_s: options.durationSeconds,
      warmup_s: options.warmupSeconds,
      connections: options.connections,
      timeout_s: options.timeoutSeconds,
      posts_per_user: `${options.postsPerUser.min}-${options.postsPerUser.max}`,
    },
    steps,
    max_rps_at_p99_50ms: atObjective,
    saturation_rps: peak,
    cpu_us_per_request: quotedCpu(steps, duration),
    ceiling: ceiling ?? null,
    ...(input.ceilingError ? { ceiling_error: input.ceilingError } : {}),
    fraction_of_ceiling: ceiling
      ? { at_p99_50ms: share(atObjective, ceiling.pgbench_tps), peak_achieved: share(peak, ceiling.pgbench_tps) }
      : null,
    reference,
    ratio_to_reference: reference ? rateRatio(atObjective, reference.max_rps_at_p99_50ms) : null,
    cpu_ratio_to_reference: reference ? cpuRatio(steps, reference.steps, duration) : null,
    machine: input.machine,
  };
}

/** `<dir>/<date>-<label>.json`, `.md` and `.svg`; returns the common path and the Markdown. */
export async function writeResultFiles(dir: string, report: BenchReport): Promise<{ base: string; markdown: string }> {
  await mkdir(dir, { recursive: true });
  const name = `${report.date}-${report.label}`;
  const base = join(dir, name);
  const markdown = renderMarkdown(report, `${name}.svg`);
  const title = `Wren ${report.workload} on ${report.graph}: latency vs offered rate`;
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${base}.svg`, renderLatencyChart(report.steps, title));
  await writeFile(`${base}.md`, markdown);
  return { base, markdown };
}
