/** One step of a rate sweep as the report keeps it, and the rules over a sweep. */
import type { OpenLoopResult } from './open-loop.js';
import type { GroupUsage } from './proc-stats.js';

/** Stepping stops after a step past either limit: higher rates would only be worse. */
export const STOP_P99_MS = 1000;
export const STOP_ERROR_RATE = 0.01;
/** The latency objective the report's headline number is about. */
export const TARGET_P99_MS = 50;

export interface StepResult {
  target_rps: number;
  achieved_rps: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_ms: number;
  requests: number;
  ok: number;
  errors: Record<string, number>;
  error_rate: number;
  send_lag_p99_ms: number;
  max_in_flight: number;
  by_kind: OpenLoopResult['by_kind'];
  /** CPU and memory of each process group over the measured window. */
  processes: Record<string, GroupUsage>;
  /** µs of CPU per completed request of each group and in total (cpu-per-request.ts); null if none completed. */
  cpu_us_per_request?: Record<string, number> | null;
  /**
   * Wren's events at the end of the step's window: how many were not yet applied by every
   * subscriber, and how long they took to drain (a subscriber that keeps up drains in < 1 s).
   */
  events?: EventBacklog;
}

export interface EventBacklog {
  pending_at_end: number;
  drain_seconds: number;
}

export function toStepResult(result: OpenLoopResult, processes: Record<string, GroupUsage>): StepResult {
  const { latency } = result;
  return {
    target_rps: result.target_rps,
    achieved_rps: result.achieved_rps,
    p50_ms: latency.p50_ms,
    p90_ms: latency.p90_ms,
    p99_ms: latency.p99_ms,
    max_ms: latency.max_ms,
    mean_ms: latency.mean_ms,
    requests: result.requests,
    ok: result.ok,
    errors: result.errors,
    error_rate: Math.round(result.error_rate * 10_000) / 10_000,
    send_lag_p99_ms: result.send_lag_p99_ms,
    max_in_flight: result.max_in_flight,
    by_kind: result.by_kind,
    processes,
  };
}

export function pastLimits(step: Pick<StepResult, 'p99_ms' | 'error_rate'>): boolean {
  return !(step.p99_ms <= STOP_P99_MS) || step.error_rate > STOP_ERROR_RATE;
}

/** The highest achieved rate of a step that met the objective (p99 ≤ 50 ms, errors ≤ 1%); 0 if none did. */
export function maxRpsWithin(steps: readonly StepResult[], p99Ms = TARGET_P99_MS): number {
  return steps
    .filter((step) => step.p99_ms <= p99Ms && step.error_rate <= STOP_ERROR_RATE)
    .reduce((best, step) => Math.max(best, step.achieved_rps), 0);
}
