import { createLogger, type Logger, type RunningService, startGrpcService } from '@wren/platform';
import type { UserServiceConfig } from './config.js';
import { createUserServiceContext } from './context.js';
import { migrations } from './db/migrations/index.js';
import { startUserEventRelay } from './domain/event-relay.js';
import { startSessionJanitor } from './domain/session-janitor.js';
import { publicMethods, registerRpc } from './rpc/index.js';

export async function startUserService(
  config: UserServiceConfig,
  logger: Logger = createLogger('user-service', config.logLevel),
): Promise<RunningService> {
  const context = await createUserServiceContext(config, logger);
  const janitor = startSessionJanitor(context.database.db, logger, config.sessionPurgeIntervalMs);
  return startGrpcService({
    config,
    logger,
    database: context.database,
    registry: context.registry,
    migrations,
    auth: { verifier: context.tokens.verifier, publicMethods },
    register: (server) => registerRpc(server, context),
    // After migrations: the relay reads the outbox they create.
    background: () => [startUserEventRelay(context, logger)],
    release: () => janitor.stop(),
  });
}
