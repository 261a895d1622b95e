import { type ClientPool, createClientPool, createDatabase, type Database, type Logger } from '@wren/platform';
import type { NotificationServiceConfig } from './config.js';
import type { NotificationDatabase } from './db/schema.js';

/** Everything the RPC handlers need, built once and passed in explicitly. */
export interface NotificationServiceContext {
  config: NotificationServiceConfig;
  logger: Logger;
  database: Database<NotificationDatabase>;
  /** For the JWKS of user-service, which verifies access tokens. */
  clients: ClientPool;
}

export function createNotificationServiceContext(
  config: NotificationServiceConfig,
  logger: Logger,
): NotificationServiceContext {
  return {
    config,
    logger,
    database: createDatabase<NotificationDatabase>({
      url: config.databaseUrl,
      max: config.databasePoolMax,
      applicationName: 'notification-service',
    }),
    clients: createClientPool({ defaultDeadlineMs: config.grpcDeadlineMs }),
  };
}
