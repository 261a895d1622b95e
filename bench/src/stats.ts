/** Latency statistics of one step. */

/**
 * The p-th percentile (0 < p ≤ 100) of ascending-sorted values by the nearest-rank method:
 * the smallest value with at least p% of the values at or below it. No interpolation, so
 * every reported number is a latency some request actually had.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export interface LatencySummary {
  count: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  mean_ms: number;
}

const round = (value: number) => Math.round(value * 100) / 100;

export function summarize(latencies: Float64Array): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    p50_ms: round(percentile(sorted, 50)),
    p90_ms: round(percentile(sorted, 90)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted.length > 0 ? (sorted[sorted.length - 1] as number) : Number.NaN),
    mean_ms: round(sorted.length > 0 ? sum / sorted.length : Number.NaN),
  };
}

/** A growable list of latencies: a step's count is only known roughly in advance. */
export class LatencyRecorder {
  private values: Float64Array;
  private length = 0;

  constructor(expected = 1024) {
    this.values = new Float64Array(Math.max(16, expected));
  }

  add(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length] = value;
    this.length += 1;
  }

  get size(): number {
    return this.length;
  }

  toArray(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}
