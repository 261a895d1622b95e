/**
 * One Prometheus registry per running service (not per process: tests run several services
 * in one process), with `service` on every series and Node's default metrics.
 *
 * Labels are bounded by construction: route templates, gRPC method names, status codes,
 * fixed outcome names — never ids or raw paths.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

/** Latency buckets in seconds, from 2.5 ms (a cached read) to 10 s (a deadline). */
export const LATENCY_BUCKETS = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
