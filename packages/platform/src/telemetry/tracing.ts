/**
 * OpenTelemetry tracing for one process: spans export by OTLP/HTTP when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads the standard OTEL_EXPORTER_OTLP_*
 * variables itself), nothing is set up when it is not. Context travels as W3C
 * `traceparent` in HTTP headers, gRPC metadata, outbox events and push deliveries.
 *
 * Tracing is per process, not per service instance: tests that run several services in one
 * process leave it off; the process entry points (`main.ts`) turn it on.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { ConfigError } from '../config.js';
import { samplerFromEnv } from './sampler.js';

type Env = Record<string, string | undefined>;

export interface Tracing {
  /** Sends the spans still buffered, then stops exporting. */
  shutdown(): Promise<void>;
}

let enabled = false;

/** True once `startTracing` set up an exporter in this process. */
export function tracingEnabled(): boolean {
  return enabled;
}

/**
 * Sets up the process-wide tracer provider when OTEL_EXPORTER_OTLP_ENDPOINT (or the
 * traces-specific variable) is set and OTEL_SDK_DISABLED is not `true`. OTEL_SERVICE_NAME
 * overrides `serviceName`; OTEL_TRACES_SAMPLER(_ARG) choose the sampler; OTEL_BSP_SCHEDULE_DELAY
 * the batch delay.
 */
export function startTracing(serviceName: string, env: Env = process.env): Tracing {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED === 'true' || enabled) return { shutdown: async () => {} };

  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || serviceName,
      [ATTR_SERVICE_VERSION]: env.npm_package_version ?? '0.1.0',
    }),
    sampler: samplerFromEnv(env),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter(), ...batchOptionsFromEnv(env) })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  enabled = true;
  return {
    async shutdown() {
      await provider.shutdown();
    },
  };
}

/** OTEL_BSP_SCHEDULE_DELAY: how long spans wait to be sent in a batch (default 5000 ms). */
function batchOptionsFromEnv(env: Env): { scheduledDelayMillis?: number } {
  const raw = env.OTEL_BSP_SCHEDULE_DELAY;
  if (raw === undefined || raw.trim() === '') return {};
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new ConfigError(['OTEL_BSP_SCHEDULE_DELAY: must be a whole number of ms']);
  return { scheduledDelayMillis: value };
}

/** The tracer every Wren span comes from. */
export function wrenTracer() {
  return trace.getTracer('wren');
}
