/** The user-service gRPC surface: one file per area, merged here. */
import { AuthServiceDefinition } from '@wren/contracts/user/v1/auth_service.js';
import { FollowServiceDefinition } from '@wren/contracts/user/v1/follow_service.js';
import { ProfileServiceDefinition } from '@wren/contracts/user/v1/profile_service.js';
import { methodPath, type WrenCallContextExt } from '@wren/platform';
import type { Server } from 'nice-grpc';
import type { UserServiceContext } from '../context.js';
import { accountsRpc } from './accounts.js';
import { followsRpc } from './follows.js';
import { keysRpc } from './keys.js';
import { profilesRpc } from './profiles.js';
import { revocationsRpc } from './revocations.js';
import { sessionsRpc } from './sessions.js';

/** Callable without an access token; everything else needs one. */
export const publicMethods: ReadonlySet<string> = new Set([
  methodPath(AuthServiceDefinition, 'register'),
  methodPath(AuthServiceDefinition, 'login'),
  methodPath(AuthServiceDefinition, 'refresh'),
  methodPath(AuthServiceDefinition, 'getJwks'),
  methodPath(AuthServiceDefinition, 'issueServiceToken'),
  methodPath(AuthServiceDefinition, 'listRevokedSessions'),
  methodPath(ProfileServiceDefinition, 'getProfile'),
  methodPath(FollowServiceDefinition, 'listFollowers'),
  methodPath(FollowServiceDefinition, 'listFollowing'),
]);

export function registerRpc(server: Server<WrenCallContextExt>, ctx: UserServiceContext): void {
  server.add(AuthServiceDefinition, {
    ...accountsRpc(ctx),
    ...sessionsRpc(ctx),
    ...keysRpc(ctx),
    ...revocationsRpc(ctx),
  });
  server.add(ProfileServiceDefinition, profilesRpc(ctx));
  server.add(FollowServiceDefinition, followsRpc(ctx));
}
