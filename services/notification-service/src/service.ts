import {
  createLogger,
  createRemoteJwksVerifier,
  type Logger,
  type RunningService,
  startGrpcService,
} from '@wren/platform';
import type { NotificationServiceConfig } from './config.js';
import { createNotificationServiceContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import { publicMethods, registerRpc, serviceMethods } from './rpc/index.js';

/** Consumes user and post events into notifications, and serves them to their recipients. */
export async function startNotificationService(
  config: NotificationServiceConfig,
  logger: Logger = createLogger('notification-service', config.logLevel),
): Promise<RunningService> {
  const context = createNotificationServiceContext(config, logger);
  return startGrpcService({
    config,
    logger,
    database: context.database,
    migrations,
    auth: {
      verifier: createRemoteJwksVerifier(context.clients, config.userServiceAddr, config.tokens),
      publicMethods,
      serviceMethods,
    },
    register: (server) => registerRpc(server, context),
    release: () => context.clients.close(),
  });
}
