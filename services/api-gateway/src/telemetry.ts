/**
 * What the gateway tells about each request: a server span that continues the caller's
 * `traceparent` (when tracing is on) and is the parent of the gRPC calls the route makes,
 * and the `http_server_request_duration_seconds` histogram by method, route template and
 * status. The route template, never the raw path, is the label: ids in paths would make the
 * series unbounded.
 */
import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { LATENCY_BUCKETS, traceIdsOf, tracingEnabled, wrenTracer } from '@wren/platform';
import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's server span and the context that carries it (tracing on). */
    otel?: { span: Span; context: Context };
  }
}

/** Routes of probes and scrapes: measured like others, never traced (they would drown the rest). */
const UNTRACED_ROUTES = new Set(['/healthz', '/readyz']);

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

export function installTelemetry(app: FastifyInstance, registry: Registry): void {
  const duration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: routeOf(request), status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  if (!tracingEnabled()) return;
  app.addHook('onRequest', async (request, reply) => {
    const route = routeOf(request);
    if (UNTRACED_ROUTES.has(route)) return;
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = wrenTracer().startSpan(
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'http.route': route,
          'url.path': request.url.split('?')[0] ?? '',
          'wren.request_id': request.id,
        },
      },
      parent,
    );
    request.otel = { span, context: trace.setSpan(parent, span) };
    const ids = traceIdsOf(span);
    if (ids) {
      // Fastify's "request completed" line is written with reply.log.
      request.log = request.log.child({ traceId: ids.traceId });
      reply.log = request.log;
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!request.otel) return;
    request.otel.span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) request.otel.span.setStatus({ code: SpanStatusCode.ERROR });
    request.otel.span.end();
  });
  // Handlers run inside the request's span, so the gRPC client middleware sees it as the
  // active span and sends it on as `traceparent`.
  app.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function tracedHandler(request, reply) {
      const otel = request.otel;
      return otel
        ? context.with(otel.context, () => handler.call(this, request, reply))
        : handler.call(this, request, reply);
    };
  });
}

/** The trace id of the request, for problem+json bodies (undefined when not traced). */
export function traceIdOf(request: FastifyRequest): string | undefined {
  return request.otel ? traceIdsOf(request.otel.span)?.traceId : undefined;
}
