/**
 * Starts the outbox relay towards the configured subscribers, with a service credential
 * that user-service signs itself (it holds the signing keys) and renews before it expires.
 */
import { createClientPool, grpcEventSubscriber, type Logger, type OutboxRelay, startOutboxRelay } from '@wren/platform';
import type { UserServiceContext } from '../context.js';
import { PRODUCER } from './events.js';

const RENEW_AFTER_MS = 240_000;

export function startUserEventRelay(ctx: UserServiceContext, log: Logger): OutboxRelay | undefined {
  const subscribers = ctx.config.outboxSubscribers;
  if (subscribers.length === 0) return undefined;
  let cached: { token: string; at: number } | undefined;
  const credential = async () => {
    if (!cached || Date.now() - cached.at > RENEW_AFTER_MS) {
      cached = { token: await ctx.tokens.signServiceToken(PRODUCER), at: Date.now() };
    }
    return cached.token;
  };
  const clients = createClientPool({ defaultDeadlineMs: 10_000 });
  const relay = startOutboxRelay({
    pool: ctx.database.pool,
    log,
    subscribers: subscribers.map((subscriber) => grpcEventSubscriber(clients, subscriber, credential)),
  });
  return {
    async stop() {
      await relay.stop();
      clients.close();
    },
  };
}
