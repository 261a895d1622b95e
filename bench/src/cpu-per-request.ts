/**
 * CPU per request: what each process spent on one completed request, the number Wren and
 * the reference server are compared by (a rate alone hides how hard the machine worked for
 * it, and on two shared cores it is the CPU that runs out).
 */
import { STOP_ERROR_RATE, type StepResult, TARGET_P99_MS } from './steps.js';

/** µs of CPU per completed request of each process group, and their sum as `total`. */
export type CpuPerRequest = Record<string, number>;

const round = (value: number) => Math.round(value * 10) / 10;
const ratio = (part: number, whole: number) => Math.round((part / whole) * 1000) / 1000;

/**
 * Over a step's measured window: each group's CPU seconds ÷ the requests completed in it
 * (achieved rate × window). The whole machine is left out: it holds whatever else ran.
 */
export function cpuPerRequest(
  step: Pick<StepResult, 'achieved_rps' | 'processes'>,
  durationSeconds: number,
): CpuPerRequest | null {
  const completed = step.achieved_rps * durationSeconds;
  if (!(completed > 0)) return null;
  const result: CpuPerRequest = {};
  let total = 0;
  for (const [name, usage] of Object.entries(step.processes)) {
    if (name === 'machine') continue;
    const us = (usage.cpu_seconds * 1e6) / completed;
    result[name] = round(us);
    total += us;
  }
  result.total = round(total);
  return result;
}

const withinObjective = (step: StepResult) => step.p99_ms <= TARGET_P99_MS && step.error_rate <= STOP_ERROR_RATE;

/** The highest achieved rate of any step with at most 1% errors, whatever its latency. */
export function saturationRps(steps: readonly StepResult[]): number {
  return Math.max(0, ...steps.filter((step) => step.error_rate <= STOP_ERROR_RATE).map((step) => step.achieved_rps));
}

/** The step a sweep's CPU per request is quoted at: the fastest within p99 ≤ 50 ms, else the first. */
export function quotedStep(steps: readonly StepResult[]): StepResult | undefined {
  return (
    steps
      .filter(withinObjective)
      .reduce<StepResult | undefined>(
        (best, step) => (best === undefined || step.achieved_rps > best.achieved_rps ? step : best),
        undefined,
      ) ?? steps[0]
  );
}

/** a ÷ b to 3 decimals; null when b is 0 (nothing to compare with). */
export function rateRatio(a: number, b: number): number | null {
  return b > 0 ? ratio(a, b) : null;
}

export interface CpuRatio {
  total: number;
  postgres: number | null;
  offered_rps: number;
  /** False when no offered rate met p99 ≤ 50 ms on both sides: then the lowest rate both served. */
  within_objective: boolean;
}

/**
 * Wren's CPU per request ÷ the reference's, in total and for PostgreSQL, at the highest
 * offered rate where both met p99 ≤ 50 ms: the same load, both within the objective. When
 * there is none, at the lowest offered rate both served with ≤ 1% errors (marked so): the
 * cost of a request is still worth comparing when the latency objective is missed.
 */
export function cpuRatio(
  wren: readonly StepResult[],
  reference: readonly StepResult[],
  durationSeconds: number,
): CpuRatio | null {
  const pick = (
    accept: (step: StepResult) => boolean,
    better: (a: StepResult, b: StepResult) => boolean,
  ): [StepResult, StepResult] | undefined => {
    const theirs = new Map(reference.filter(accept).map((step) => [step.target_rps, step]));
    const ours = wren
      .filter((step) => accept(step) && theirs.has(step.target_rps))
      .reduce<StepResult | undefined>(
        (best, step) => (best === undefined || better(step, best) ? step : best),
        undefined,
      );
    return ours ? [ours, theirs.get(ours.target_rps) as StepResult] : undefined;
  };
  const within = pick(withinObjective, (a, b) => a.target_rps > b.target_rps);
  const served = pick(
    (step) => step.error_rate <= STOP_ERROR_RATE,
    (a, b) => a.target_rps < b.target_rps,
  );
  const pair = within ?? served;
  if (!pair) return null;
  const ours = cpuPerRequest(pair[0], durationSeconds);
  const theirs = cpuPerRequest(pair[1], durationSeconds);
  if (!ours?.total || !theirs?.total) return null;
  const postgres = ours.postgres !== undefined && theirs.postgres ? ratio(ours.postgres, theirs.postgres) : null;
  return {
    total: ratio(ours.total, theirs.total),
    postgres,
    offered_rps: pair[0].target_rps,
    within_objective: within !== undefined,
  };
}
