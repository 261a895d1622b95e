/**
 * A producing service's relay, assembled: its outbox, its configured subscribers, and a
 * service credential that is renewed before it expires.
 */
import { AuthServiceDefinition } from '@wren/contracts/user/v1/auth_service.js';
import type pg from 'pg';
import type { Registry } from 'prom-client';
import { type ClientPool, createClientPool } from '../grpc/client.js';
import type { Logger } from '../logger.js';
import { type OutboxRelay, startOutboxRelay } from './relay.js';
import { grpcEventSubscriber, type SubscriberAddress } from './subscribers.js';

/** Caches a credential and asks for a new one when 80 % of its lifetime has passed. */
export function cachedCredential(issue: () => Promise<{ token: string; expiresIn: number }>): () => Promise<string> {
  let cached: { token: string; renewAt: number } | undefined;
  return async () => {
    if (!cached || Date.now() >= cached.renewAt) {
      const { token, expiresIn } = await issue();
      cached = { token, renewAt: Date.now() + expiresIn * 800 };
    }
    return cached.token;
  };
}

/** A credential from user-service's IssueServiceToken, for services that do not sign their own. */
export function issuedServiceCredential(
  clients: ClientPool,
  userServiceAddr: string,
  service: string,
  clientSecret: string,
): () => Promise<string> {
  const auth = clients.client(AuthServiceDefinition, userServiceAddr);
  return cachedCredential(async () => auth.issueServiceToken({ service, clientSecret }));
}

export interface EventRelayOptions {
  pool: pg.Pool;
  log: Logger;
  subscribers: SubscriberAddress[];
  credential: () => Promise<string>;
  /** The producer's metrics registry. */
  registry?: Registry;
}

/** Undefined when no subscriber is configured (the events then wait in the outbox). */
export function startEventRelay(options: EventRelayOptions): OutboxRelay | undefined {
  if (options.subscribers.length === 0) return undefined;
  const clients = createClientPool({
    defaultDeadlineMs: 10_000,
    ...(options.registry ? { registry: options.registry } : {}),
  });
  const relay = startOutboxRelay({
    pool: options.pool,
    ...(options.registry ? { registry: options.registry } : {}),
    log: options.log,
    subscribers: options.subscribers.map((s) => grpcEventSubscriber(clients, s, options.credential)),
  });
  return {
    async stop() {
      await relay.stop();
      clients.close();
    },
  };
}
