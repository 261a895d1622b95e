/**
 * The write path's guarantee that the caller is in the `authors` replica. Events from
 * user-service fill it, but a user who registered a moment ago may act before their
 * `user.registered` event arrives; then (and only then) user-service is asked directly,
 * as the caller, and the answer is kept.
 */
import {
  failedPrecondition,
  forwardMetadata,
  requireUser,
  Status,
  unauthenticated,
  type WrenCallContextExt,
} from '@wren/platform';
import { ClientError, ServerError } from 'nice-grpc';
import type { PostServiceContext } from '../context.js';
import { findAuthorById, insertAuthorIfMissing } from '../db/queries/authors.js';

/** The calling user's id, once they are known as an author. */
export async function ensureAuthor(ctx: PostServiceContext, context: WrenCallContextExt): Promise<string> {
  const caller = requireUser(context);
  const { db } = ctx.database;
  if (await findAuthorById(db, caller.userId)) return caller.userId;
  const answer = await ctx.profiles
    .getUserSummaries({ userIds: [caller.userId] }, { metadata: forwardMetadata(context) })
    .catch((error: unknown) => {
      // user-service refused the caller's own token: their session or account has ended.
      if (error instanceof ClientError && error.code === Status.UNAUTHENTICATED) {
        throw unauthenticated('the session has ended', 'SESSION_ENDED');
      }
      context.log.warn({ err: error }, 'user-service look-up of a new author failed');
      throw new ServerError(Status.UNAVAILABLE, 'the user directory is unavailable; retry shortly');
    });
  const user = answer.users.find((summary) => summary.id === caller.userId);
  if (!user) throw failedPrecondition('the calling user is not known (yet); retry shortly', 'AUTHOR_UNKNOWN');
  await insertAuthorIfMissing(db, {
    id: user.id,
    username: user.username.toLowerCase(),
    display_name: user.displayName,
    avatar_url: user.avatarUrl,
  });
  return caller.userId;
}
