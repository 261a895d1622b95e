/**
 * The start and stop order shared by every gRPC service: migrate, serve, and on stop report
 * NOT_SERVING → drain calls in flight → release clients → close the pool. While serving, the
 * health status follows whether the database answers (see db/reachability-probe.ts).
 */
import type { Kysely } from 'kysely';
import type { Server } from 'nice-grpc';
import type { Registry } from 'prom-client';
import type { EnvReader } from './config.js';
import { type Migrations, migrateToLatest } from './db/migrate.js';
import type { Database } from './db/pool.js';
import { startReachabilityProbe } from './db/reachability-probe.js';
import type { AuthPolicy } from './grpc/auth-middleware.js';
import type { WrenCallContextExt } from './grpc/call-context.js';
import { createGrpcServer } from './grpc/server.js';
import type { Stoppable } from './lifecycle.js';
import { LOG_LEVELS, type Logger, type LogLevel } from './logger.js';
import { startAdminServer } from './telemetry/admin-server.js';

export interface BaseServiceConfig {
  grpcHost: string;
  grpcPort: number;
  /** The admin HTTP port: /metrics, /healthz and /readyz. */
  adminHost: string;
  adminPort: number;
  databaseUrl: string;
  databasePoolMax: number;
  logLevel: LogLevel;
  migrateOnStart: boolean;
  shutdownGraceMs: number;
}

/** The variables every service reads; each service adds its own. */
export function readBaseServiceConfig(
  env: EnvReader,
  defaults: { grpcPort: number; adminPort: number },
): BaseServiceConfig {
  return {
    grpcHost: env.string('GRPC_HOST', { default: '0.0.0.0' }),
    grpcPort: env.int('GRPC_PORT', { default: defaults.grpcPort, min: 0, max: 65535 }),
    ...readAdminAddress(env, defaults.adminPort),
    databaseUrl: env.url('DATABASE_URL', { protocols: ['postgres', 'postgresql'] }),
    databasePoolMax: env.int('DATABASE_POOL_MAX', { default: 10, min: 1, max: 200 }),
    logLevel: env.oneOf('LOG_LEVEL', LOG_LEVELS, { default: 'info' }),
    migrateOnStart: env.bool('MIGRATE_ON_START', { default: true }),
    shutdownGraceMs: env.int('SHUTDOWN_GRACE_MS', { default: 10_000, min: 0 }),
  };
}

/** ADMIN_HOST / ADMIN_PORT, read the same way by the services and the gateway. */
export function readAdminAddress(env: EnvReader, defaultPort: number): { adminHost: string; adminPort: number } {
  return {
    adminHost: env.string('ADMIN_HOST', { default: '0.0.0.0' }),
    adminPort: env.int('ADMIN_PORT', { default: defaultPort, min: 0, max: 65535 }),
  };
}

export interface GrpcServiceOptions<Schema> {
  config: BaseServiceConfig;
  logger: Logger;
  /** The service's metrics (createMetricsRegistry), served on the admin port. */
  registry: Registry;
  database: Database<Schema>;
  migrations: Migrations;
  auth: AuthPolicy;
  register(server: Server<WrenCallContextExt>): void;
  /**
   * Work beside the RPCs (outbox relays, delivery workers), started once the database is
   * migrated and the server listens; stopped after the drain, in reverse order.
   */
  background?: () => (Stoppable | undefined)[];
  /** Runs first on stop: ends calls that never end by themselves (streams), so the drain need not wait for them. */
  beforeDrain?: () => Promise<void> | void;
  /** Releases what the service opened besides the pool (clients, timers). */
  release?: () => Promise<void> | void;
}

export interface RunningService {
  readonly port: number;
  /** The admin HTTP port (/metrics, /healthz, /readyz). */
  readonly adminPort: number;
  stop(): Promise<void>;
}

export async function startGrpcService<Schema>(options: GrpcServiceOptions<Schema>): Promise<RunningService> {
  const { config, logger, database } = options;
  if (config.migrateOnStart) await migrateToLatest(database.db as Kysely<unknown>, options.migrations, logger);
  const grpc = createGrpcServer({ logger, auth: options.auth, registry: options.registry });
  options.register(grpc.server);
  const port = await grpc.listen(config.grpcHost, config.grpcPort);
  logger.info({ port }, 'serving gRPC');
  const admin = await startAdminServer({
    host: config.adminHost,
    port: config.adminPort,
    registry: options.registry,
    logger,
  }).catch(async (error) => {
    await grpc.shutdown(0);
    throw error;
  });
  const probe = startReachabilityProbe({
    pool: database.pool,
    logger,
    onChange(reachable) {
      grpc.health.setStatus(reachable ? 'healthy' : 'unhealthy');
      admin.setReady(reachable);
    },
  });
  const background = (options.background?.() ?? []).filter((task): task is Stoppable => task !== undefined);

  let stopping: Promise<void> | undefined;
  return {
    port,
    adminPort: admin.port,
    stop() {
      stopping ??= (async () => {
        admin.draining();
        // First, so that it cannot report SERVING again during the drain.
        await probe.stop();
        await options.beforeDrain?.();
        await grpc.shutdown(config.shutdownGraceMs);
        for (const task of background.reverse()) await task.stop();
        await options.release?.();
        await database.close();
        await admin.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
