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

/**
 * Wren's CPU per request ÷ the reference's, in total and for PostgreSQL, at the highest
 * offered rate where both met p99 ≤ 50 ms: the same load, both within the objective.
 */
export function cpuRatio(
  wren: readonly StepResult[],
  reference: readonly StepResult[],
  durationSeconds: number,
): { total: number; postgres: number | null; offered_rps: number } | null {
  const met = new Map(reference.filter(withinObjective).map((step) => [step.target_rps, step]));
  const common = wren.filter((step) => withinObjective(step) && met.has(step.target_rps));
  const wrenStep = common.reduce<StepResult | undefined>(
    (best, step) => (best === undefined || step.target_rps > best.target_rps ? step : best),
    undefined,
  );
  if (!wrenStep) return null;
  const ours = cpuPerRequest(wrenStep, durationSeconds);
  const theirs = cpuPerRequest(met.get(wrenStep.target_rps) as StepResult, durationSeconds);
  if (!ours?.total || !theirs?.total) return null;
  const postgres = ours.postgres !== undefined && theirs.postgres ? ratio(ours.postgres, theirs.postgres) : null;
  return { total: ratio(ours.total, theirs.total), postgres, offered_rps: wrenStep.target_rps };
}
