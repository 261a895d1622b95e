import {
  type ClientPool,
  createClientPool,
  createDatabase,
  createMetricsRegistry,
  createRemoteRevokedSessions,
  type Database,
  type Logger,
  type RevokedSessions,
} from '@wren/platform';
import type { Registry } from 'prom-client';
import type { NotificationServiceConfig } from './config.js';
import type { NotificationDatabase } from './db/schema.js';

/** Everything the RPC handlers need, built once and passed in explicitly. */
export interface NotificationServiceContext {
  config: NotificationServiceConfig;
  logger: Logger;
  database: Database<NotificationDatabase>;
  /** For the JWKS of user-service, which verifies access tokens. */
  clients: ClientPool;
  /** This service's metrics, served on the admin port. */
  registry: Registry;
  /** Ended sessions: their tokens are refused, and their open streams ended. */
  revokedSessions: RevokedSessions;
}

export function createNotificationServiceContext(
  config: NotificationServiceConfig,
  logger: Logger,
): NotificationServiceContext {
  const registry = createMetricsRegistry('notification-service');
  const clients = createClientPool({ defaultDeadlineMs: config.grpcDeadlineMs, registry });
  return {
    config,
    registry,
    logger,
    database: createDatabase<NotificationDatabase>({
      url: config.databaseUrl,
      max: config.databasePoolMax,
      applicationName: 'notification-service',
      logger,
      registry,
    }),
    clients,
    revokedSessions: createRemoteRevokedSessions(clients, config.userServiceAddr, logger),
  };
}
