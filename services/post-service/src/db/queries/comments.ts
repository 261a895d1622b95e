import { type Kysely, sql } from 'kysely';
import type { PostDatabase } from '../schema.js';
import type { AuthorRow } from './authors.js';

export interface CommentRef {
  id: string;
  post_id: string;
  parent_id: string | null;
  author_id: string;
}

export interface CommentView {
  id: string;
  post_id: string;
  parent_id: string | null;
  author: AuthorRow;
  text: string;
  created_at: Date;
  edited_at: Date | null;
  like_count: number;
  reply_count: number;
  liked: boolean;
}

export async function findCommentRef(db: Kysely<PostDatabase>, id: string): Promise<CommentRef | undefined> {
  return db
    .selectFrom('comments')
    .select(['id', 'post_id', 'parent_id', 'author_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function lockCommentRef(db: Kysely<PostDatabase>, id: string): Promise<CommentRef | undefined> {
  return db
    .selectFrom('comments')
    .select(['id', 'post_id', 'parent_id', 'author_id'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertComment(
  db: Kysely<PostDatabase>,
  comment: { id: string; postId: string; parentId: string | null; authorId: string; text: string; createdAt: Date },
): Promise<void> {
  await db
    .insertInto('comments')
    .values({
      id: comment.id,
      post_id: comment.postId,
      parent_id: comment.parentId,
      author_id: comment.authorId,
      text: comment.text,
      created_at: comment.createdAt,
    })
    .execute();
}

export async function updateCommentText(
  db: Kysely<PostDatabase>,
  id: string,
  text: string,
  editedAt: Date,
): Promise<void> {
  await db.updateTable('comments').set({ text, edited_at: editedAt }).where('id', '=', id).execute();
}

/** Adds `delta` to a counter of a comment of `postId`; undefined when there is no such comment. */
export async function adjustCommentCounter(
  db: Kysely<PostDatabase>,
  id: string,
  counter: 'like_count' | 'reply_count',
  delta: number,
  postId?: string,
): Promise<{ like_count: number; reply_count: number } | undefined> {
  let query = db
    .updateTable('comments')
    .set({ [counter]: sql`${sql.ref(counter)} + ${delta}` })
    .where('id', '=', id);
  if (postId) query = query.where('post_id', '=', postId);
  return query.returning(['like_count', 'reply_count']).executeTakeFirst();
}

/** Deletes a comment and, by cascade, its replies at any depth; how many comments went. */
/** Deletes the comment and its replies (by cascade); the ids of all that went. */
export async function deleteCommentTree(db: Kysely<PostDatabase>, id: string): Promise<string[]> {
  const tree = await sql<{ id: string }>`
    WITH RECURSIVE tree AS (
      SELECT id FROM comments WHERE id = ${id}
      UNION ALL
      SELECT c.id FROM comments c JOIN tree t ON c.parent_id = t.id
    )
    SELECT id FROM tree
  `.execute(db);
  await db.deleteFrom('comments').where('id', '=', id).execute();
  return tree.rows.map((row) => row.id);
}

export async function findCommentText(db: Kysely<PostDatabase>, id: string): Promise<string | undefined> {
  return (await db.selectFrom('comments').select('text').where('id', '=', id).executeTakeFirst())?.text;
}

/** Oldest first: every comment of the post, or the replies to `parentId`. */
export async function listCommentViews(
  db: Kysely<PostDatabase>,
  filter: { postId: string; parentId?: string; ids?: readonly string[] },
  viewerId: string | undefined,
  limit: number,
  afterId: string | undefined,
): Promise<CommentView[]> {
  let query = db
    .selectFrom('comments as c')
    .leftJoin('authors as a', 'a.id', 'c.author_id')
    .select([
      'c.id',
      'c.post_id',
      'c.parent_id',
      'c.author_id',
      'c.text',
      'c.created_at',
      'c.edited_at',
      'c.like_count',
      'c.reply_count',
      'a.username',
      'a.display_name',
      'a.avatar_url',
      sql<boolean>`EXISTS (SELECT 1 FROM comment_likes l WHERE l.comment_id = c.id AND l.user_id = ${viewerId ?? null})`.as(
        'liked',
      ),
    ])
    .where('c.post_id', '=', filter.postId);
  if (filter.parentId) query = query.where('c.parent_id', '=', filter.parentId);
  if (filter.ids) query = query.where('c.id', 'in', filter.ids);
  if (afterId) query = query.where('c.id', '>', afterId);
  const rows = await query.orderBy('c.id', 'asc').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    post_id: row.post_id,
    parent_id: row.parent_id,
    author: {
      id: row.author_id,
      username: row.username ?? '',
      display_name: row.display_name ?? '',
      avatar_url: row.avatar_url ?? '',
    },
    text: row.text,
    created_at: row.created_at,
    edited_at: row.edited_at,
    like_count: row.like_count,
    reply_count: row.reply_count,
    liked: row.liked,
  }));
}
