import {
  createLogger,
  createRemoteJwksVerifier,
  createRemoteRevokedSessions,
  issuedServiceCredential,
  type Logger,
  type RunningService,
  startEventRelay,
  startGrpcService,
  startIdempotencySweeper,
} from '@wren/platform';
import type { PostServiceConfig } from './config.js';
import { createPostServiceContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import { PRODUCER } from './domain/events.js';
import { publicMethods, registerRpc, serviceMethods } from './rpc/index.js';

export async function startPostService(
  config: PostServiceConfig,
  logger: Logger = createLogger('post-service', config.logLevel),
): Promise<RunningService> {
  const context = createPostServiceContext(config, logger);
  const sweeper = startIdempotencySweeper(context.database.db, logger, config.idempotencySweepIntervalMs);
  // Ended sessions, polled in the background: their unexpired access tokens are refused.
  const revoked = createRemoteRevokedSessions(context.clients, config.userServiceAddr, logger);
  return startGrpcService({
    config,
    logger,
    database: context.database,
    registry: context.registry,
    migrations,
    auth: {
      verifier: createRemoteJwksVerifier(context.clients, config.userServiceAddr, config.tokens, revoked),
      publicMethods,
      serviceMethods,
    },
    register: (server) => registerRpc(server, context),
    // After migrations: the relay reads the outbox they create.
    background: () => [
      revoked.start(),
      startEventRelay({
        pool: context.database.pool,
        log: logger,
        registry: context.registry,
        subscribers: config.outboxSubscribers,
        credential: issuedServiceCredential(
          context.clients,
          config.userServiceAddr,
          PRODUCER,
          config.serviceClientSecret,
        ),
      }),
    ],
    release: async () => {
      await sweeper.stop();
      context.clients.close();
    },
  });
}
