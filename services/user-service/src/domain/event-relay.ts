/**
 * Starts the outbox relay towards the configured subscribers, with a service credential
 * that user-service signs itself (it holds the signing keys).
 */
import { cachedCredential, type Logger, type OutboxRelay, startEventRelay } from '@wren/platform';
import type { UserServiceContext } from '../context.js';
import { PRODUCER } from './events.js';
import { SERVICE_TOKEN_TTL_SECONDS } from './token-issuer.js';

export function startUserEventRelay(ctx: UserServiceContext, log: Logger): OutboxRelay | undefined {
  return startEventRelay({
    pool: ctx.database.pool,
    log,
    registry: ctx.registry,
    subscribers: ctx.config.outboxSubscribers,
    credential: cachedCredential(async () => ({
      token: await ctx.tokens.signServiceToken(PRODUCER),
      expiresIn: SERVICE_TOKEN_TTL_SECONDS,
    })),
  });
}
