/**
 * Shares: one per (user, post). A share is also a feed item of the sharer, so it reaches
 * their followers' home timelines carrying the original post.
 */
import { failedPrecondition, uuidv7 } from '@wren/platform';
import type { Kysely } from 'kysely';
import { insertFeedItem } from '../db/queries/feed.js';
import { loadShareViews, type PostView, type ShareView } from '../db/queries/post-views.js';
import { adjustPostCounter, type CountsRow, lockPost, postCounts } from '../db/queries/posts.js';
import { deleteShare, findShareId, insertShare } from '../db/queries/shares.js';
import type { PostDatabase } from '../db/schema.js';
import { postEvents, publish } from './events.js';
import { postView } from './posts.js';
import { canSee, postNotFound, visiblePost } from './visibility.js';

export async function sharePost(
  trx: Kysely<PostDatabase>,
  userId: string,
  postId: string,
  quote: string,
): Promise<{ share: ShareView; post: PostView }> {
  const post = await lockPost(trx, postId);
  if (!post || !(await canSee(trx, post, userId))) throw postNotFound();
  // Passing a followers-only post on would show it to people its author did not choose.
  if (post.visibility === 'followers' && post.author_id !== userId) {
    throw failedPrecondition('a followers-only post of someone else cannot be shared', 'POST_NOT_SHAREABLE');
  }
  const id = uuidv7();
  // A second share of the same post answers with the first, unchanged (quote included).
  if (await insertShare(trx, { id, postId, userId, quote, createdAt: new Date() })) {
    await adjustPostCounter(trx, postId, 'share_count', 1);
    await insertFeedItem(trx, { id, actorId: userId, postId, shareId: id, visibility: post.visibility });
    await publish(trx, postEvents.shared(id, postId, post.author_id, userId, quote, post.text));
  }
  const shareId = (await findShareId(trx, userId, postId)) as string;
  const share = (await loadShareViews(trx, [shareId])).get(shareId) as ShareView;
  return { share, post: await postView(trx, postId, userId) };
}

export async function unsharePost(db: Kysely<PostDatabase>, userId: string, postId: string): Promise<CountsRow> {
  await visiblePost(db, postId, userId);
  const counts = await db
    .transaction()
    .execute(async (trx) =>
      (await deleteShare(trx, userId, postId))
        ? adjustPostCounter(trx, postId, 'share_count', -1)
        : postCounts(trx, postId),
    );
  if (!counts) throw postNotFound();
  return counts;
}
