/** A step result as the sweep makes it, for the report and chart tests. */
import type { StepResult } from '../src/steps.js';

export function step(target: number, p50: number, p99: number, overrides: Partial<StepResult> = {}): StepResult {
  return {
    target_rps: target,
    achieved_rps: target,
    p50_ms: p50,
    p90_ms: (p50 + p99) / 2,
    p99_ms: p99,
    max_ms: p99 * 2,
    mean_ms: p50,
    requests: target * 10,
    ok: target * 10,
    errors: {},
    error_rate: 0,
    send_lag_p99_ms: 0.5,
    max_in_flight: 12,
    by_kind: {},
    processes: { 'api-gateway': { cpu_seconds: 5, cores: 0.5, peak_rss_mb: 180, hwm_mb: 190 } },
    ...overrides,
  };
}
