import { type Kysely, sql } from 'kysely';
import type { MentionJson, PostDatabase, VisibilityValue } from '../schema.js';

/** What visibility and ownership checks need of a post. */
export interface PostRef {
  id: string;
  author_id: string;
  visibility: VisibilityValue;
}

export interface PostTextRow extends PostRef {
  text: string;
  created_at: Date;
  edited_at: Date | null;
}

export interface CountsRow {
  like_count: number;
  comment_count: number;
  share_count: number;
}

export type PostCounter = keyof CountsRow;

export async function findPostRef(db: Kysely<PostDatabase>, id: string): Promise<PostRef | undefined> {
  return db.selectFrom('posts').select(['id', 'author_id', 'visibility']).where('id', '=', id).executeTakeFirst();
}

/** Locks the post row: the order every mutation of a post's counters and children starts with. */
export async function lockPost(db: Kysely<PostDatabase>, id: string): Promise<PostTextRow | undefined> {
  return db
    .selectFrom('posts')
    .select(['id', 'author_id', 'visibility', 'text', 'created_at', 'edited_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updatePostText(
  db: Kysely<PostDatabase>,
  id: string,
  text: string,
  editedAt: Date,
): Promise<void> {
  await db.updateTable('posts').set({ text, edited_at: editedAt }).where('id', '=', id).execute();
}

export async function deletePost(db: Kysely<PostDatabase>, id: string): Promise<void> {
  await db.deleteFrom('posts').where('id', '=', id).execute();
}

/** Adds `delta` to one counter; returns the counts after the change. */
export async function adjustPostCounter(
  db: Kysely<PostDatabase>,
  id: string,
  counter: PostCounter,
  delta: number,
): Promise<CountsRow | undefined> {
  return db
    .updateTable('posts')
    .set({ [counter]: sql`${sql.ref(counter)} + ${delta}` })
    .where('id', '=', id)
    .returning(['like_count', 'comment_count', 'share_count'])
    .executeTakeFirst();
}

export async function postCounts(db: Kysely<PostDatabase>, id: string): Promise<CountsRow | undefined> {
  return db
    .selectFrom('posts')
    .select(['like_count', 'comment_count', 'share_count'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Replaces the post's mentions and hashtags with the ones of its current text: on the post
 * (what its view shows) and in the index tables.
 */
export async function replaceMentionsAndHashtags(
  db: Kysely<PostDatabase>,
  postId: string,
  mentions: readonly MentionJson[],
  hashtags: readonly string[],
): Promise<void> {
  await db
    .updateTable('posts')
    .set({ mentions: JSON.stringify(mentions), hashtags: [...hashtags] })
    .where('id', '=', postId)
    .execute();
  await db.deleteFrom('post_mentions').where('post_id', '=', postId).execute();
  await db.deleteFrom('post_hashtags').where('post_id', '=', postId).execute();
  if (mentions.length > 0) {
    await db
      .insertInto('post_mentions')
      .values(mentions.map((mention, position) => ({ post_id: postId, user_id: mention.user_id, position })))
      .execute();
  }
  if (hashtags.length > 0) {
    await db
      .insertInto('post_hashtags')
      .values(hashtags.map((tag, position) => ({ post_id: postId, tag, position })))
      .execute();
  }
}

export async function insertRevision(
  db: Kysely<PostDatabase>,
  revision: { id: string; postId: string; text: string; writtenAt: Date; replacedAt: Date },
): Promise<void> {
  await db
    .insertInto('post_revisions')
    .values({
      id: revision.id,
      post_id: revision.postId,
      text: revision.text,
      written_at: revision.writtenAt,
      replaced_at: revision.replacedAt,
    })
    .execute();
}

export interface RevisionRow {
  id: string;
  text: string;
  written_at: Date;
  replaced_at: Date;
}

/** Newest replaced version first; ids are UUIDv7, so id order is time order. */
export async function listRevisions(
  db: Kysely<PostDatabase>,
  postId: string,
  limit: number,
  afterId: string | undefined,
): Promise<RevisionRow[]> {
  let query = db
    .selectFrom('post_revisions')
    .select(['id', 'text', 'written_at', 'replaced_at'])
    .where('post_id', '=', postId);
  if (afterId) query = query.where('id', '<', afterId);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

export async function findPostText(db: Kysely<PostDatabase>, id: string): Promise<string | undefined> {
  return (await db.selectFrom('posts').select('text').where('id', '=', id).executeTakeFirst())?.text;
}
