/**
 * RED metrics for gRPC, server and client side, with the names and labels of
 * go-grpc-prometheus (grpc_server_handled_total, grpc_server_handling_seconds, and the
 * grpc_client_ pair), so that existing dashboards and habits carry over.
 */
import { isAbortError } from 'abort-controller-x';
import {
  ClientError,
  type ClientMiddleware,
  type MethodDescriptor,
  ServerError,
  type ServerMiddleware,
  Status,
} from 'nice-grpc-common';
import { Counter, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from './metrics-registry.js';

const LABELS = ['grpc_type', 'grpc_service', 'grpc_method'] as const;

interface GrpcMetrics {
  handled: Counter<(typeof LABELS)[number] | 'grpc_code'>;
  handling: Histogram<(typeof LABELS)[number]>;
}

function grpcMetrics(registry: Registry, side: 'server' | 'client'): GrpcMetrics {
  const handledName = `grpc_${side}_handled_total`;
  const existing = registry.getSingleMetric(handledName);
  if (existing) {
    return {
      handled: existing as GrpcMetrics['handled'],
      handling: registry.getSingleMetric(`grpc_${side}_handling_seconds`) as GrpcMetrics['handling'],
    };
  }
  return {
    handled: new Counter({
      name: handledName,
      help: `gRPC calls completed ${side === 'server' ? 'by this server' : 'by this client'}, by code.`,
      labelNames: [...LABELS, 'grpc_code'],
      registers: [registry],
    }),
    handling: new Histogram({
      name: `grpc_${side}_handling_seconds`,
      help: `Time from the start of a gRPC call to its end, seen by the ${side}.`,
      labelNames: [...LABELS],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
  };
}

function labelsOf(method: MethodDescriptor) {
  // path = /wren.post.v1.PostService/GetPost
  const [, service = 'unknown', name = 'unknown'] = method.path.split('/');
  const type = method.requestStream
    ? method.responseStream
      ? 'bidi_stream'
      : 'client_stream'
    : method.responseStream
      ? 'server_stream'
      : 'unary';
  return { grpc_type: type, grpc_service: service, grpc_method: name };
}

function codeOf(error: unknown): Status {
  if (error instanceof ServerError || error instanceof ClientError) return error.code;
  if (isAbortError(error)) return Status.CANCELLED;
  return Status.UNKNOWN;
}

type Call = AsyncGenerator<unknown, unknown, undefined>;

/** Runs a call (server or client side) and records its code and duration. */
function measured<C extends Call>(metrics: GrpcMetrics, method: MethodDescriptor, call: C): C {
  // Passes every message and the result through unchanged, so it has the call's own type.
  return measure(metrics, method, call) as C;
}

async function* measure(metrics: GrpcMetrics, method: MethodDescriptor, call: Call): Call {
  const labels = labelsOf(method);
  const stopTimer = metrics.handling.startTimer(labels);
  let code = Status.OK;
  try {
    return yield* call;
  } catch (error) {
    code = codeOf(error);
    throw error;
  } finally {
    stopTimer();
    metrics.handled.inc({ ...labels, grpc_code: Status[code] });
  }
}

export function grpcServerMetricsMiddleware(registry: Registry): ServerMiddleware {
  const metrics = grpcMetrics(registry, 'server');
  return (call, context) => measured(metrics, call.method, call.next(call.request, context));
}

export function grpcClientMetricsMiddleware(registry: Registry): ClientMiddleware {
  const metrics = grpcMetrics(registry, 'client');
  return (call, options) => measured(metrics, call.method, call.next(call.request, options));
}
