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
import { pushMetrics } from './delivery/metrics.js';
import { startDeliveryWorker } from './delivery/worker.js';
import { publicMethods, registerRpc, serviceMethods } from './rpc/index.js';
import { closeNotificationStreams, observeNotificationStreams } from './stream/hub.js';

/** Consumes user and post events into notifications, and serves them to their recipients. */
export async function startNotificationService(
  config: NotificationServiceConfig,
  logger: Logger = createLogger('notification-service', config.logLevel),
): Promise<RunningService> {
  const context = createNotificationServiceContext(config, logger);
  observeNotificationStreams(context);
  return startGrpcService({
    config,
    logger,
    database: context.database,
    registry: context.registry,
    migrations,
    auth: {
      verifier: createRemoteJwksVerifier(
        context.clients,
        config.userServiceAddr,
        config.tokens,
        context.revokedSessions,
      ),
      publicMethods,
      serviceMethods,
    },
    register: (server) => registerRpc(server, context),
    // Started once migrations ran; drained after gRPC stopped taking events.
    background: () => [
      // Ended sessions, polled in the background: their unexpired access tokens are refused.
      context.revokedSessions.start(),
      startDeliveryWorker({
        db: context.database.db,
        config: config.push,
        logger,
        metrics: pushMetrics(context.registry, context.database.db),
      }),
    ],
    // Open notification streams never end by themselves: end them first, or the gRPC drain
    // would wait for them until the grace period runs out.
    beforeDrain: () => closeNotificationStreams(context),
    release: () => context.clients.close(),
  });
}
