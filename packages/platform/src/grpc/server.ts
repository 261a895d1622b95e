/**
 * gRPC server bootstrap shared by every service: middleware in one fixed order, the
 * grpc.health.v1 service for Kubernetes probes, and a graceful shutdown that first reports
 * NOT_SERVING, then drains the calls in flight.
 */
import { createServer, type Server } from 'nice-grpc';
import { errorDetailsServerMiddleware } from 'nice-grpc-error-details';
import { openTelemetryServerMiddleware } from 'nice-grpc-opentelemetry';
import { HealthDefinition, HealthServiceImpl, HealthState } from 'nice-grpc-server-health';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { grpcServerMetricsMiddleware } from '../telemetry/grpc-metrics.js';
import { tracingEnabled } from '../telemetry/tracing.js';
import { type AuthPolicy, authMiddleware } from './auth-middleware.js';
import type { WrenCallContextExt } from './call-context.js';
import { observeMiddleware } from './observe-middleware.js';
import { storableTextMiddleware } from './storable-text-middleware.js';

export interface GrpcServerOptions {
  logger: Logger;
  auth: AuthPolicy;
  /** Where the RED metrics of the calls this server handles go. */
  registry?: Registry;
}

export interface GrpcServer {
  /** Register services here, before `listen`. */
  readonly server: Server<WrenCallContextExt>;
  readonly health: HealthState;
  /** Binds and starts serving; returns the bound port (useful with port 0). */
  listen(host: string, port: number): Promise<number>;
  /**
   * Reports NOT_SERVING, waits for in-flight calls up to `graceMs`, then cancels whatever
   * is left.
   */
  shutdown(graceMs: number): Promise<void>;
}

export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const health = HealthState();
  // Outermost first: the span (continuing the caller's trace) and the measurement enclose
  // everything, including the observe middleware's mapping of crashes to INTERNAL.
  // No channelz: its per-call bookkeeping serves a debug service Wren does not expose.
  let base = createServer({ 'grpc.enable_channelz': 0 });
  if (tracingEnabled()) base = base.use(openTelemetryServerMiddleware());
  if (options.registry) base = base.use(grpcServerMetricsMiddleware(options.registry));
  const server = base
    .use(observeMiddleware(options.logger))
    .use(errorDetailsServerMiddleware)
    .use(authMiddleware(options.auth))
    // After auth (an anonymous caller learns nothing about the fields), before any handler.
    .use(storableTextMiddleware());
  server.add(HealthDefinition, HealthServiceImpl(health));

  return {
    server,
    health,
    async listen(host, port) {
      const bound = await server.listen(`${host}:${port}`);
      health.setStatus('healthy');
      return bound;
    },
    async shutdown(graceMs) {
      health.setStatus('unhealthy');
      let timer: NodeJS.Timeout | undefined;
      const drained = server.shutdown().then(() => true);
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      });
      const clean = await Promise.race([drained, timedOut]);
      clearTimeout(timer);
      if (!clean) {
        options.logger.warn({ graceMs }, 'calls still running after the grace period; cancelling them');
        server.forceShutdown();
      }
    },
  };
}
