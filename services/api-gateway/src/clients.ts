/**
 * The gRPC clients the gateway calls, all from one ClientPool (one channel per address, the
 * platform's deadline/retry/error-details middleware), and the metadata each call carries.
 */
import { NotificationServiceDefinition } from '@wren/contracts/notification/v1/notification_service.js';
import { PushServiceDefinition } from '@wren/contracts/notification/v1/push_service.js';
import { CommentServiceDefinition } from '@wren/contracts/post/v1/comment_service.js';
import { PostServiceDefinition } from '@wren/contracts/post/v1/post_service.js';
import { ReactionServiceDefinition } from '@wren/contracts/post/v1/reaction_service.js';
import { AuthServiceDefinition } from '@wren/contracts/user/v1/auth_service.js';
import { FollowServiceDefinition } from '@wren/contracts/user/v1/follow_service.js';
import { ProfileServiceDefinition } from '@wren/contracts/user/v1/profile_service.js';
import type { ClientPool, WrenCallOptions } from '@wren/platform';
import type { FastifyRequest } from 'fastify';
import type { Client } from 'nice-grpc';
import { type CallOptions, Metadata } from 'nice-grpc-common';
import { HealthDefinition } from 'nice-grpc-server-health';
import type { GatewayConfig } from './config.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import { IDEMPOTENCY_KEY_HEADER } from './schemas/idempotency.js';

export type BackendName = 'user-service' | 'post-service' | 'notification-service';

export interface GatewayClients {
  auth: Client<typeof AuthServiceDefinition>;
  profiles: Client<typeof ProfileServiceDefinition>;
  follows: Client<typeof FollowServiceDefinition>;
  // With the pool's call options: a create carrying an idempotency key asks for retries.
  posts: Client<typeof PostServiceDefinition, WrenCallOptions>;
  comments: Client<typeof CommentServiceDefinition, WrenCallOptions>;
  reactions: Client<typeof ReactionServiceDefinition, WrenCallOptions>;
  // With the pool's call options: the live stream sets a deadline of its own.
  notifications: Client<typeof NotificationServiceDefinition, WrenCallOptions>;
  push: Client<typeof PushServiceDefinition>;
  /** grpc.health.v1 of every backend, for /readyz. */
  health: Record<BackendName, Pick<Client<typeof HealthDefinition>, 'check'>>;
}

export function createGatewayClients(pool: ClientPool, config: GatewayConfig): GatewayClients {
  const user = config.userServiceAddr;
  const post = config.postServiceAddr;
  return {
    auth: pool.client(AuthServiceDefinition, user),
    profiles: pool.client(ProfileServiceDefinition, user),
    follows: pool.client(FollowServiceDefinition, user),
    posts: pool.client(PostServiceDefinition, post),
    comments: pool.client(CommentServiceDefinition, post),
    reactions: pool.client(ReactionServiceDefinition, post),
    notifications: pool.client(NotificationServiceDefinition, config.notificationServiceAddr),
    push: pool.client(PushServiceDefinition, config.notificationServiceAddr),
    health: {
      'user-service': pool.client(HealthDefinition, user),
      'post-service': pool.client(HealthDefinition, post),
      'notification-service': pool.client(HealthDefinition, config.notificationServiceAddr),
    },
  };
}

/**
 * Options for a call made on behalf of this request: its request id, and the caller's
 * access token when there is one — services verify it again rather than trust the gateway.
 */
export function callOptions(request: FastifyRequest): CallOptions {
  const metadata = Metadata({ [REQUEST_ID_HEADER]: request.id });
  if (request.caller) metadata.set('authorization', `Bearer ${request.caller.token}`);
  return { metadata };
}

/**
 * Options for a create call: as `callOptions`, plus the client's `Idempotency-Key` (already
 * validated by the route's header schema) as `idempotency-key` metadata. A call that carries
 * a key may be retried on UNAVAILABLE, because the service answers a repeat with the first
 * result (docs/architecture.md, the error model); one without a key is never retried, so it cannot create twice.
 */
export function createCallOptions(request: FastifyRequest): CallOptions & WrenCallOptions {
  const options = callOptions(request);
  const key = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (typeof key !== 'string') return options;
  options.metadata?.set(IDEMPOTENCY_KEY_HEADER, key);
  return { ...options, retry: true };
}
