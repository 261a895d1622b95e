import type { Kysely } from 'kysely';
import type { PostDatabase } from '../schema.js';

/** True when the share is new; a second share of the same post by the same user inserts nothing. */
export async function insertShare(
  db: Kysely<PostDatabase>,
  share: { id: string; postId: string; userId: string; quote: string; createdAt: Date },
): Promise<boolean> {
  const result = await db
    .insertInto('shares')
    .values({
      id: share.id,
      post_id: share.postId,
      user_id: share.userId,
      quote: share.quote,
      created_at: share.createdAt,
    })
    .onConflict((oc) => oc.columns(['user_id', 'post_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function findShareId(db: Kysely<PostDatabase>, userId: string, postId: string) {
  const row = await db
    .selectFrom('shares')
    .select('id')
    .where('user_id', '=', userId)
    .where('post_id', '=', postId)
    .executeTakeFirst();
  return row?.id;
}

/** Deletes the share (its feed item goes by cascade); false when there was none. */
export async function deleteShare(db: Kysely<PostDatabase>, userId: string, postId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('shares')
    .where('user_id', '=', userId)
    .where('post_id', '=', postId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
