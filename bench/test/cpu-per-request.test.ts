import { describe, expect, it } from 'vitest';
import { cpuPerRequest, cpuRatio, quotedStep, rateRatio, saturationRps } from '../src/cpu-per-request.js';
import { parseOptions } from '../src/options.js';
import { step } from './fixtures.js';

const usage = (cpu_seconds: number) => ({ cpu_seconds, cores: 0, peak_rss_mb: 0, hwm_mb: 0 });

describe('CPU per request', () => {
  it('divides each group’s CPU by the requests completed in the window, leaving the machine out', () => {
    const measured = step(100, 2, 10, {
      achieved_rps: 100,
      processes: { reference: usage(0.5), postgres: usage(0.25), 'load-generator': usage(0.05), machine: usage(3) },
    });
    // 100 req/s for 10 s: 1000 requests; 0.5 s of CPU is 500 µs each.
    expect(cpuPerRequest(measured, 10)).toEqual({ reference: 500, postgres: 250, 'load-generator': 50, total: 800 });
    expect(cpuPerRequest({ ...measured, achieved_rps: 0 }, 10)).toBeNull();
  });

  it('quotes the fastest step within p99 ≤ 50 ms, or the first step when none met it', () => {
    const steps = [step(100, 2, 10), step(300, 5, 40), step(600, 50, 400), step(900, 2, 45, { error_rate: 0.5 })];
    expect(quotedStep(steps)?.target_rps).toBe(300);
    expect(quotedStep([step(100, 60, 80), step(300, 70, 90)])?.target_rps).toBe(100);
    expect(quotedStep([])).toBeUndefined();
  });

  it('saturation is the highest achieved rate with at most 1% errors', () => {
    const steps = [
      step(100, 2, 10),
      step(300, 50, 900, { achieved_rps: 280 }),
      step(600, 500, 9000, { achieved_rps: 400, error_rate: 0.2 }),
    ];
    expect(saturationRps(steps)).toBe(280);
    expect(saturationRps([])).toBe(0);
  });

  it('ratios: rates to 3 decimals, CPU at the highest offered rate both met the objective', () => {
    expect(rateRatio(250, 1000)).toBe(0.25);
    expect(rateRatio(1, 3)).toBe(0.333);
    expect(rateRatio(5, 0)).toBeNull();
    const cpu = (wren: number, pg: number) => ({ 'api-gateway': usage(wren), postgres: usage(pg) });
    const wren = [
      step(100, 2, 10, { processes: cpu(2, 1) }),
      step(300, 5, 40, { processes: cpu(6, 3) }),
      step(600, 80, 400, { processes: cpu(9, 5) }),
    ];
    const reference = [
      step(100, 1, 5, { processes: { reference: usage(0.5), postgres: usage(0.5) } }),
      step(300, 1, 6, { processes: { reference: usage(1), postgres: usage(2) } }),
      step(600, 2, 8, { processes: { reference: usage(2), postgres: usage(4) } }),
    ];
    // At 300 req/s for 10 s: Wren 9 s of CPU, the reference 3 s; PostgreSQL 3 s against 2 s.
    expect(cpuRatio(wren, reference, 10)).toEqual({
      total: 3,
      postgres: 1.5,
      offered_rps: 300,
      within_objective: true,
    });
    // Wren met the objective nowhere: the lowest rate both served (its 5 s against 1 s).
    expect(cpuRatio([step(100, 60, 90), step(300, 90, 900)], reference, 10)).toEqual({
      total: 5,
      postgres: null,
      offered_rps: 100,
      within_objective: false,
    });
    // Nothing both served without errors: no ratio.
    expect(cpuRatio([step(100, 60, 90, { error_rate: 0.5 })], reference, 10)).toBeNull();
  });
});

describe('--reference', () => {
  const parse = (args: string[]) => {
    const options = parseOptions(args);
    if (options === 'help') throw new Error('help');
    return options.reference;
  };

  it('runs by default in a full run, not in a quick one, and not with --target unless told the database', () => {
    expect(parse([])).toBe(true);
    expect(parse(['--quick'])).toBe(false);
    expect(parse(['--quick', '--reference'])).toBe(true);
    expect(parse(['--no-reference'])).toBe(false);
    expect(parse(['--target', 'http://x'])).toBe(false);
    expect(parse(['--target', 'http://x', '--database-url', 'postgres://x/y'])).toBe(true);
    expect(() => parse(['--target', 'http://x', '--reference'])).toThrow(/--database-url/);
    expect(() => parse(['--reference', '--no-reference'])).toThrow();
  });
});
