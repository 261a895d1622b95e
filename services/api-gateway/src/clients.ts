/**
 * The gRPC clients the gateway calls, all from one ClientPool (one channel per address, the
 * platform's deadline/retry/error-details middleware), and the metadata each call carries.
 */
import { AuthServiceDefinition } from '@wren/contracts/user/v1/auth_service.js';
import { FollowServiceDefinition } from '@wren/contracts/user/v1/follow_service.js';
import { ProfileServiceDefinition } from '@wren/contracts/user/v1/profile_service.js';
import type { ClientPool } from '@wren/platform';
import type { FastifyRequest } from 'fastify';
import type { Client } from 'nice-grpc';
import { type CallOptions, Metadata } from 'nice-grpc-common';
import { HealthDefinition } from 'nice-grpc-server-health';
import type { GatewayConfig } from './config.js';
import { REQUEST_ID_HEADER } from './request-id.js';

export type BackendName = 'user-service' | 'post-service' | 'notification-service';

export interface GatewayClients {
  auth: Client<typeof AuthServiceDefinition>;
  profiles: Client<typeof ProfileServiceDefinition>;
  follows: Client<typeof FollowServiceDefinition>;
  /** grpc.health.v1 of every backend, for /readyz. */
  health: Record<BackendName, Pick<Client<typeof HealthDefinition>, 'check'>>;
}

export function createGatewayClients(pool: ClientPool, config: GatewayConfig): GatewayClients {
  const user = config.userServiceAddr;
  return {
    auth: pool.client(AuthServiceDefinition, user),
    profiles: pool.client(ProfileServiceDefinition, user),
    follows: pool.client(FollowServiceDefinition, user),
    health: {
      'user-service': pool.client(HealthDefinition, user),
      'post-service': pool.client(HealthDefinition, config.postServiceAddr),
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
