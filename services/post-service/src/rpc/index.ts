/** The post-service gRPC surface: one file per area, merged here. */

import { EventSinkServiceDefinition } from '@wren/contracts/events/v1/event_sink_service.js';
import { CommentServiceDefinition } from '@wren/contracts/post/v1/comment_service.js';
import { PostServiceDefinition } from '@wren/contracts/post/v1/post_service.js';
import { ReactionServiceDefinition } from '@wren/contracts/post/v1/reaction_service.js';
import { createEventSink, methodPath, type WrenCallContextExt } from '@wren/platform';
import type { Server } from 'nice-grpc';
import type { PostServiceContext } from '../context.js';
import { userEventHandlers } from '../events/user-events.js';
import { commentsRpc } from './comments.js';
import { postsRpc } from './posts.js';
import { reactionsRpc } from './reactions.js';
import { timelinesRpc } from './timelines.js';

/** Callable without an access token (public posts only then); everything else needs one. */
export const publicMethods: ReadonlySet<string> = new Set([
  methodPath(PostServiceDefinition, 'getPost'),
  methodPath(PostServiceDefinition, 'listUserPosts'),
  methodPath(PostServiceDefinition, 'listPostHistory'),
  methodPath(CommentServiceDefinition, 'listComments'),
  methodPath(ReactionServiceDefinition, 'listPostLikes'),
]);

/** Only other services may call these (user-service's outbox relay delivers here). */
export const serviceMethods: ReadonlySet<string> = new Set([methodPath(EventSinkServiceDefinition, 'deliver')]);

export function registerRpc(server: Server<WrenCallContextExt>, ctx: PostServiceContext): void {
  server.add(PostServiceDefinition, { ...postsRpc(ctx), ...timelinesRpc(ctx) });
  server.add(CommentServiceDefinition, commentsRpc(ctx));
  server.add(ReactionServiceDefinition, reactionsRpc(ctx));
  server.add(EventSinkServiceDefinition, createEventSink(ctx.database.db, userEventHandlers, ctx.logger, ctx.registry));
}
