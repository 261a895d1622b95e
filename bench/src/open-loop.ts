/**
 * The open-loop load generator's scheduler. Request i is due at start + i / rate whatever
 * happened to earlier ones, and its latency is measured from that intended time, not from
 * when it was actually sent: when the system falls behind, the time a request waits to be
 * sent is part of its latency. A closed-loop tool (wrk) waits for each answer before the
 * next request on a connection, sends less exactly when the system is slow, and so reports
 * the latencies of the requests it managed to send (coordinated omission).
 *
 * Memory stays bounded under saturation: at most `maxInFlight` requests are outstanding;
 * due requests beyond that wait as a counter (nothing is allocated for them), and one that
 * has waited longer than the timeout is given up and counted as `timeout_not_sent`.
 */
import { LatencyRecorder, type LatencySummary, percentile, summarize } from './stats.js';

export type Outcome =
  | { kind: 'ok' }
  | { kind: 'http'; status: number }
  | { kind: 'timeout' }
  | { kind: 'connection'; code: string };

export interface OpenLoopConfig {
  ratePerSecond: number;
  warmupMs: number;
  durationMs: number;
  maxInFlight: number;
  /** From the intended time: a request not answered by then is a timeout. */
  timeoutMs: number;
}

/** Sends request `index`; it must settle within `budgetMs` (the timeout left) or report a timeout. */
export type Send = (index: number, budgetMs: number) => Promise<Outcome>;

export interface OpenLoopHooks {
  onWindowStart?: () => void;
  onWindowEnd?: () => void;
  /** The kind of request `index` (home, user, compose): latencies are also kept per kind. */
  kindOf?: (index: number) => string;
}

export interface KindResult {
  requests: number;
  ok: number;
  errors: Record<string, number>;
  latency: LatencySummary;
}

export interface OpenLoopResult {
  target_rps: number;
  /** 2xx answers completed inside the measured window, per second of it. */
  achieved_rps: number;
  /** Requests due inside the measured window. */
  requests: number;
  ok: number;
  errors: Record<string, number>;
  error_rate: number;
  /**
   * Over every request due in the window: answered ones (any status) at their latency,
   * timed-out ones at the time they were given up (a lower bound of what they would have had).
   */
  latency: LatencySummary;
  /** How late the generator sent requests (sent − intended), p99: its own health. */
  send_lag_p99_ms: number;
  max_in_flight: number;
  by_kind: Record<string, KindResult>;
}

export function errorKey(outcome: Outcome): string | undefined {
  switch (outcome.kind) {
    case 'ok':
      return undefined;
    case 'http':
      return `http_${outcome.status}`;
    case 'timeout':
      return 'timeout';
    case 'connection':
      return `connection_${outcome.code}`;
  }
}

export function runOpenLoop(config: OpenLoopConfig, send: Send, hooks: OpenLoopHooks = {}): Promise<OpenLoopResult> {
  const { ratePerSecond: rate, maxInFlight, timeoutMs } = config;
  const interval = 1000 / rate;
  const total = Math.floor((rate * (config.warmupMs + config.durationMs)) / 1000);
  const firstMeasured = Math.ceil((rate * config.warmupMs) / 1000);
  const start = performance.now() + 1;
  const windowStart = start + config.warmupMs;
  const windowEnd = windowStart + config.durationMs;
  const intended = (index: number) => start + index * interval;

  const latencies = new LatencyRecorder(total - firstMeasured);
  const lags = new LatencyRecorder(total - firstMeasured);
  const errors: Record<string, number> = {};
  const kinds = new Map<string, { latencies: LatencyRecorder; ok: number; errors: Record<string, number> }>();
  let okInWindow = 0;
  let okMeasured = 0;
  let next = 0;
  let inFlight = 0;
  let maxSeen = 0;
  let timer: NodeJS.Timeout | undefined;

  return new Promise((resolve) => {
    // Each window hook runs exactly once, in order, even when the last answer comes before
    // the window's end (a fast server at a low rate): then finishing runs what is left.
    const windowHooks = [hooks.onWindowStart, hooks.onWindowEnd];
    let hooksRun = 0;
    const runWindowHooks = (upTo: number) => {
      while (hooksRun < upTo) {
        windowHooks[hooksRun]?.();
        hooksRun += 1;
      }
    };
    const windowTimers = [
      setTimeout(() => runWindowHooks(1), Math.max(0, windowStart - performance.now())),
      setTimeout(() => runWindowHooks(2), Math.max(0, windowEnd - performance.now())),
    ];

    const record = (index: number, outcome: Outcome | 'not_sent', finishedAt: number) => {
      const key = outcome === 'not_sent' ? 'timeout_not_sent' : errorKey(outcome);
      if (key === undefined && finishedAt >= windowStart && finishedAt < windowEnd) okInWindow += 1;
      if (index < firstMeasured) return;
      latencies.add(finishedAt - intended(index));
      if (key === undefined) okMeasured += 1;
      else errors[key] = (errors[key] ?? 0) + 1;
      const kind = hooks.kindOf?.(index);
      if (kind === undefined) return;
      let entry = kinds.get(kind);
      if (!entry) {
        entry = { latencies: new LatencyRecorder(), ok: 0, errors: {} };
        kinds.set(kind, entry);
      }
      entry.latencies.add(finishedAt - intended(index));
      if (key === undefined) entry.ok += 1;
      else entry.errors[key] = (entry.errors[key] ?? 0) + 1;
    };

    const finish = () => {
      const requests = total - firstMeasured;
      const errorCount = requests - okMeasured;
      const lagSorted = Float64Array.from(lags.toArray()).sort();
      resolve({
        target_rps: rate,
        achieved_rps: Math.round((okInWindow / config.durationMs) * 1000 * 10) / 10,
        requests,
        ok: okMeasured,
        errors,
        error_rate: requests > 0 ? errorCount / requests : 0,
        latency: summarize(latencies.toArray()),
        send_lag_p99_ms: lagSorted.length > 0 ? Math.round(percentile(lagSorted, 99) * 100) / 100 : 0,
        max_in_flight: maxSeen,
        by_kind: Object.fromEntries(
          [...kinds].map(([kind, entry]) => [
            kind,
            {
              requests: entry.latencies.size,
              ok: entry.ok,
              errors: entry.errors,
              latency: summarize(entry.latencies.toArray()),
            },
          ]),
        ),
      });
    };

    const dispatch = (index: number, now: number) => {
      inFlight += 1;
      maxSeen = Math.max(maxSeen, inFlight);
      if (index >= firstMeasured) lags.add(now - intended(index));
      const settle = (outcome: Outcome) => {
        inFlight -= 1;
        record(index, outcome, performance.now());
        pump();
      };
      send(index, timeoutMs - (now - intended(index))).then(settle, (error: Error) =>
        settle({ kind: 'connection', code: (error as NodeJS.ErrnoException).code ?? error.name }),
      );
    };

    // Sends everything that is due and a slot allows, then sleeps until the next is due.
    function pump(): void {
      const now = performance.now();
      while (next < total && intended(next) <= now) {
        if (now - intended(next) >= timeoutMs) {
          record(next, 'not_sent', now);
          next += 1;
          continue;
        }
        if (inFlight >= maxInFlight) break;
        dispatch(next, now);
        next += 1;
      }
      if (next >= total) {
        if (inFlight === 0) {
          clearTimeout(timer);
          for (const windowTimer of windowTimers) clearTimeout(windowTimer);
          runWindowHooks(2);
          finish();
        }
        return;
      }
      // Blocked on slots: a completion calls pump again. Else wake when the next is due.
      if (inFlight >= maxInFlight && intended(next) <= now) return;
      if (timer === undefined) {
        timer = setTimeout(
          () => {
            timer = undefined;
            pump();
          },
          Math.max(0, intended(next) - now),
        );
      }
    }

    pump();
  });
}
