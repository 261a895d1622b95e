import { describe, expect, it } from 'vitest';
import { LatencyRecorder, percentile, summarize } from '../src/stats.js';

describe('percentile (nearest rank)', () => {
  const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);

  it('is a value some request had', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 90)).toBe(90);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 99.5)).toBe(100);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([3, 7, 9], 50)).toBe(7);
    expect(percentile([42], 1)).toBe(42);
  });

  it('is NaN for no values and refuses percentiles outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile(hundred, 0)).toThrow(RangeError);
    expect(() => percentile(hundred, 101)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts a copy and reports p50/p90/p99/max/mean', () => {
    const values = Float64Array.from([5, 1, 4, 2, 3, 10, 9, 8, 7, 6]);
    expect(summarize(values)).toEqual({ count: 10, p50_ms: 5, p90_ms: 9, p99_ms: 10, max_ms: 10, mean_ms: 5.5 });
    expect(values[0]).toBe(5);
  });
});

describe('LatencyRecorder', () => {
  it('grows past its first guess and keeps every value', () => {
    const recorder = new LatencyRecorder(16);
    for (let i = 0; i < 1000; i += 1) recorder.add(i);
    expect(recorder.size).toBe(1000);
    expect(recorder.toArray()[999]).toBe(999);
  });
});
