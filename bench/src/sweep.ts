/**
 * One workload's rate sweep: a step per rate, each measured by the load generator for its
 * latencies and by /proc for the CPU and memory of every process, stopping after the first
 * step past the limits (p99 over 1 s or over 1% errors).
 */
import { cpuPerRequest } from './cpu-per-request.js';
import type { LoadGeneratorProcess } from './load-generator-client.js';
import type { BenchOptions } from './options.js';
import { type GroupUsage, type ProcessGroup, ProcessMeter, singleProcess, wholeMachine } from './proc-stats.js';
import { type EventBacklog, pastLimits, type StepResult, toStepResult } from './steps.js';
import type { WorkloadName } from './workload.js';

export interface SweepContext {
  options: BenchOptions;
  generator: LoadGeneratorProcess;
  /** Wren's processes and PostgreSQL (empty with --target and no --pids), or the reference server's. */
  groups: ProcessGroup[];
  /** Before each step: the previous step's events applied, tokens fresh. */
  beforeStep: () => Promise<void>;
  /** After each step: the events it left unapplied and how long they took to drain. */
  eventBacklog?: () => Promise<EventBacklog>;
  log: (line: string) => void;
}

export async function sweep(context: SweepContext, workload: WorkloadName): Promise<StepResult[]> {
  const { options, generator, log } = context;
  const meter = new ProcessMeter([...context.groups, singleProcess('load-generator', generator.pid), wholeMachine]);
  const steps: StepResult[] = [];
  for (const [index, rate] of options.rates.entries()) {
    await context.beforeStep();
    log(`${workload}: ${rate} req/s for ${options.durationSeconds} s after ${options.warmupSeconds} s of warm-up`);
    let usage: Record<string, GroupUsage> = {};
    const result = await generator.runStep(
      {
        workload,
        label: `${workload}/${index}/${rate}`,
        seed: options.seed,
        config: {
          ratePerSecond: rate,
          warmupMs: options.warmupSeconds * 1000,
          durationMs: options.durationSeconds * 1000,
          maxInFlight: options.connections,
          timeoutMs: options.timeoutSeconds * 1000,
        },
      },
      { onWindowStart: () => meter.begin(), onWindowEnd: () => (usage = meter.end()) },
    );
    const step = toStepResult(result, usage);
    step.cpu_us_per_request = cpuPerRequest(step, options.durationSeconds);
    if (context.eventBacklog) step.events = await context.eventBacklog();
    steps.push(step);
    const errors = Object.entries(step.errors).map(([kind, count]) => `${kind} ${count}`);
    log(
      `  achieved ${step.achieved_rps}/s, p50 ${step.p50_ms} ms, p99 ${step.p99_ms} ms, max ${step.max_ms} ms, ` +
        `errors ${errors.length > 0 ? errors.join(', ') : 0}; cores: ${Object.entries(usage)
          .map(([name, group]) => `${name} ${group.cores}`)
          .join(', ')}` +
        (step.events
          ? `; events pending ${step.events.pending_at_end}, drained in ${step.events.drain_seconds} s`
          : ''),
    );
    if (pastLimits(step)) {
      log(`  past the limits (p99 > 1 s or errors > 1%): no higher rates`);
      break;
    }
  }
  return steps;
}
