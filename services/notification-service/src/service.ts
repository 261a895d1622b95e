import {
  createClientPool,
  createDatabase,
  createLogger,
  createRemoteJwksVerifier,
  type Logger,
  type RunningService,
  startGrpcService,
} from '@wren/platform';
import type { NotificationServiceConfig } from './config.js';
import { migrations } from './db/migrations/index.js';

/** Serves health and migrates its database; notifications, preferences and push delivery come next. */
export async function startNotificationService(
  config: NotificationServiceConfig,
  logger: Logger = createLogger('notification-service', config.logLevel),
): Promise<RunningService> {
  const clients = createClientPool({ defaultDeadlineMs: config.grpcDeadlineMs });
  const database = createDatabase({
    url: config.databaseUrl,
    max: config.databasePoolMax,
    applicationName: 'notification-service',
  });
  return startGrpcService({
    config,
    logger,
    database,
    migrations,
    auth: {
      verifier: createRemoteJwksVerifier(clients, config.userServiceAddr, config.tokens),
      publicMethods: new Set(),
    },
    register: () => {},
    release: () => clients.close(),
  });
}
