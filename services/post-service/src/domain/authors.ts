/**
 * The write path's guarantee that the users it names are in the `authors` replica. Events
 * from user-service fill it, but a user who registered a moment ago may act, or be
 * @mentioned, before their `user.registered` event arrives; then (and only then)
 * user-service is asked directly, as the caller, and the answer is kept. The event stays
 * the authority: when it comes, it overwrites what was kept here.
 */
import type { UserSummary } from '@wren/contracts/user/v1/user.js';
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
import {
  type AuthorRow,
  findAuthorAndUsernames,
  findAuthorById,
  findAuthorsByUsernames,
  insertAuthorIfMissing,
} from '../db/queries/authors.js';
import type { MentionJson } from '../db/schema.js';
import { extractMentionNames, mentionsInOrder } from './text.js';

/** GetUserSummaries takes at most this many names. */
const MAX_NAMES_PER_LOOKUP = 100;

/** Asks user-service as the caller, and keeps the users it knows in the replica. */
async function learnUsers(
  ctx: PostServiceContext,
  context: WrenCallContextExt,
  request: { userIds?: string[]; usernames?: string[] },
): Promise<UserSummary[]> {
  const answer = await ctx.profiles
    .getUserSummaries({ userIds: [], usernames: [], ...request }, { metadata: forwardMetadata(context) })
    .catch((error: unknown) => {
      // user-service refused the caller's own token: their session or account has ended.
      if (error instanceof ClientError && error.code === Status.UNAUTHENTICATED) {
        throw unauthenticated('the session has ended', 'SESSION_ENDED');
      }
      context.log.warn({ err: error }, 'user-service look-up of users the replica lacks failed');
      throw new ServerError(Status.UNAVAILABLE, 'the user directory is unavailable; retry shortly');
    });
  for (const user of answer.users) await insertAuthorIfMissing(ctx.database.db, authorRowOf(user));
  return answer.users;
}

const authorRowOf = (user: UserSummary): AuthorRow => ({
  id: user.id,
  username: user.username.toLowerCase(),
  display_name: user.displayName,
  avatar_url: user.avatarUrl,
});

const authorUnknown = () => failedPrecondition('the calling user is not known (yet); retry shortly', 'AUTHOR_UNKNOWN');

/** The calling user's id, once they are known as an author. */
export async function ensureAuthor(ctx: PostServiceContext, context: WrenCallContextExt): Promise<string> {
  const caller = requireUser(context);
  if (await findAuthorById(ctx.database.db, caller.userId)) return caller.userId;
  const users = await learnUsers(ctx, context, { userIds: [caller.userId] });
  if (!users.some((user) => user.id === caller.userId)) throw authorUnknown();
  return caller.userId;
}

/**
 * The caller as an author and the existing users `text` @mentions (first mention first),
 * as `ensureAuthor` and `ensureMentionedAuthors` would make them known, in one look-up of
 * the replica when it has them all (the compose path).
 */
export async function authorAndMentioned(
  ctx: PostServiceContext,
  context: WrenCallContextExt,
  text: string,
): Promise<{ author: AuthorRow; mentioned: MentionJson[] }> {
  const caller = requireUser(context);
  const names = extractMentionNames(text);
  const rows = await findAuthorAndUsernames(ctx.database.db, caller.userId, names);
  let author = rows.find((row) => row.id === caller.userId);
  if (!author) {
    const users = await learnUsers(ctx, context, { userIds: [caller.userId] });
    const user = users.find((candidate) => candidate.id === caller.userId);
    if (!user) throw authorUnknown();
    author = authorRowOf(user);
  }
  const byName = new Map(rows.map((row) => [row.username, row]));
  const missing = names.filter((name) => !byName.has(name)).slice(0, MAX_NAMES_PER_LOOKUP);
  if (missing.length > 0) {
    for (const user of await learnUsers(ctx, context, { usernames: missing })) {
      const row = authorRowOf(user);
      byName.set(row.username, row);
    }
  }
  return { author, mentioned: mentionsInOrder(names, byName) };
}

/**
 * Makes every existing user that `text` @mentions known to the replica, so that the write
 * that follows resolves the mention — no mention is lost because an event is late. Only
 * names the replica lacks are looked up (names of no one are asked each time: one call,
 * answered from an index). Call before the write's transaction: no connection waits on it.
 */
export async function ensureMentionedAuthors(
  ctx: PostServiceContext,
  context: WrenCallContextExt,
  text: string,
): Promise<void> {
  const names = extractMentionNames(text);
  if (names.length === 0) return;
  const known = new Set((await findAuthorsByUsernames(ctx.database.db, names)).map((row) => row.username));
  const missing = names.filter((name) => !known.has(name)).slice(0, MAX_NAMES_PER_LOOKUP);
  if (missing.length > 0) await learnUsers(ctx, context, { usernames: missing });
}
