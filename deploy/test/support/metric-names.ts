/**
 * The metrics Wren's processes expose, in one list: the offline test checks that the
 * dashboard and the rules use no other name, and the live test that a running system
 * exposes every one of them — so a renamed metric fails one test or the other.
 */
export const wrenServices = ['api-gateway', 'user-service', 'post-service', 'notification-service'] as const;
export type WrenService = (typeof wrenServices)[number];

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface ExposedMetric {
  name: string;
  type: MetricType;
  /** Processes that must expose it (after a little traffic). */
  services: readonly WrenService[];
  /**
   * Set when no series exists until something rare happens or a setting is on; the live
   * test does not expect such a metric.
   */
  onlyAfter?: string;
}

const services = ['user-service', 'post-service', 'notification-service'] as const;
const everyProcess = wrenServices;
const producers = ['user-service', 'post-service'] as const;
const consumers = ['post-service', 'notification-service'] as const;

export const exposedMetrics: readonly ExposedMetric[] = [
  { name: 'http_server_request_duration_seconds', type: 'histogram', services: ['api-gateway'] },
  { name: 'grpc_server_handled_total', type: 'counter', services },
  { name: 'grpc_server_handling_seconds', type: 'histogram', services },
  // The gateway calls every service, the producers' relays call the consumers, and the
  // services fetch user-service's JWKS to verify the first token they see.
  { name: 'grpc_client_handled_total', type: 'counter', services: everyProcess },
  { name: 'grpc_client_handling_seconds', type: 'histogram', services: everyProcess },
  { name: 'wren_db_pool_connections', type: 'gauge', services },
  { name: 'wren_db_pool_waiting_clients', type: 'gauge', services },
  { name: 'wren_db_pool_max_connections', type: 'gauge', services },
  { name: 'wren_outbox_pending_events', type: 'gauge', services: producers },
  { name: 'wren_outbox_oldest_pending_age_seconds', type: 'gauge', services: producers },
  { name: 'wren_outbox_relayed_events_total', type: 'counter', services: producers },
  { name: 'wren_events_consumed_total', type: 'counter', services: consumers },
  { name: 'wren_push_queue_depth', type: 'gauge', services: ['notification-service'] },
  { name: 'wren_push_oldest_due_age_seconds', type: 'gauge', services: ['notification-service'] },
  { name: 'wren_push_attempts_total', type: 'counter', services: ['notification-service'] },
  { name: 'wren_notification_streams_active', type: 'gauge', services: ['notification-service'] },
  {
    name: 'gateway_rate_limit_store_errors_total',
    type: 'counter',
    services: ['api-gateway'],
    onlyAfter: 'RATE_LIMIT_REDIS_URL is set (the counter exists only with the shared store)',
  },
  // prom-client's default metrics (the ones the dashboard and the alerts use).
  { name: 'process_cpu_seconds_total', type: 'counter', services: everyProcess },
  { name: 'process_resident_memory_bytes', type: 'gauge', services: everyProcess },
  { name: 'nodejs_eventloop_lag_p99_seconds', type: 'gauge', services: everyProcess },
  { name: 'nodejs_heap_size_used_bytes', type: 'gauge', services: everyProcess },
  { name: 'nodejs_heap_size_total_bytes', type: 'gauge', services: everyProcess },
  // Minor collections happen within seconds of any traffic, so this one is expected too.
  { name: 'nodejs_gc_duration_seconds', type: 'histogram', services: everyProcess },
];

/** Series Prometheus adds for every scrape target; they are not exposed by Wren. */
export const prometheusSyntheticMetrics: readonly string[] = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
];

/** The names a metric's series carry: a histogram's `_bucket`, `_sum` and `_count`. */
export function seriesNames(metric: ExposedMetric): string[] {
  if (metric.type !== 'histogram') return [metric.name];
  return ['_bucket', '_sum', '_count'].map((suffix) => `${metric.name}${suffix}`);
}

/** The one series name that shows a metric is exposed (a histogram's `_count`). */
export function presenceSeriesName(metric: ExposedMetric): string {
  return metric.type === 'histogram' ? `${metric.name}_count` : metric.name;
}

/** Every series name a query may select: the exposed ones, Prometheus's own, and `extra` (recording rules). */
export function knownMetricNames(extra: Iterable<string> = []): Set<string> {
  return new Set([...exposedMetrics.flatMap(seriesNames), ...prometheusSyntheticMetrics, ...extra]);
}
