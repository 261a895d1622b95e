/**
 * Everything a post or share looks like to one viewer, loaded for a whole page at once:
 * one query for the posts (author, counts, mentions, hashtags and the viewer's flags as
 * sub-selects) and one for the shares, however long the page.
 */
import { type Kysely, sql } from 'kysely';
import type { PostDatabase, VisibilityValue } from '../schema.js';
import type { AuthorRow } from './authors.js';

export interface PostView {
  id: string;
  author: AuthorRow;
  text: string;
  visibility: VisibilityValue;
  created_at: Date;
  edited_at: Date | null;
  like_count: number;
  comment_count: number;
  share_count: number;
  liked: boolean;
  shared: boolean;
  mentions: { user_id: string; username: string }[];
  hashtags: string[];
}

export interface ShareView {
  id: string;
  post_id: string;
  sharer: AuthorRow;
  quote: string;
  created_at: Date;
}

// A user missing from the replica (lagging events) still shows, with an id and no name.
function authorOf(row: {
  author_id: string;
  username: string | null;
  display_name: string | null;
  avatar_url: string | null;
}): AuthorRow {
  return {
    id: row.author_id,
    username: row.username ?? '',
    display_name: row.display_name ?? '',
    avatar_url: row.avatar_url ?? '',
  };
}

export async function loadPostViews(
  db: Kysely<PostDatabase>,
  postIds: readonly string[],
  viewerId: string | undefined,
): Promise<Map<string, PostView>> {
  if (postIds.length === 0) return new Map();
  const viewer = viewerId ?? null;
  const rows = await db
    .selectFrom('posts as p')
    .leftJoin('authors as a', 'a.id', 'p.author_id')
    .select([
      'p.id',
      'p.author_id',
      'p.text',
      'p.visibility',
      'p.created_at',
      'p.edited_at',
      'p.like_count',
      'p.comment_count',
      'p.share_count',
      'a.username',
      'a.display_name',
      'a.avatar_url',
      sql<boolean>`EXISTS (SELECT 1 FROM post_likes l WHERE l.post_id = p.id AND l.user_id = ${viewer})`.as('liked'),
      sql<boolean>`EXISTS (SELECT 1 FROM shares s WHERE s.post_id = p.id AND s.user_id = ${viewer})`.as('shared'),
      sql<string[]>`ARRAY(SELECT h.tag FROM post_hashtags h WHERE h.post_id = p.id ORDER BY h.position)`.as('hashtags'),
      sql<{ user_id: string; username: string }[]>`COALESCE((
        SELECT json_agg(json_build_object('user_id', m.user_id, 'username', ma.username) ORDER BY m.position)
        FROM post_mentions m JOIN authors ma ON ma.id = m.user_id
        WHERE m.post_id = p.id), '[]'::json)`.as('mentions'),
    ])
    .where('p.id', 'in', postIds)
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        author: authorOf(row),
        text: row.text,
        visibility: row.visibility,
        created_at: row.created_at,
        edited_at: row.edited_at,
        like_count: row.like_count,
        comment_count: row.comment_count,
        share_count: row.share_count,
        liked: row.liked,
        shared: row.shared,
        mentions: row.mentions,
        hashtags: row.hashtags,
      },
    ]),
  );
}

export async function loadShareViews(
  db: Kysely<PostDatabase>,
  shareIds: readonly string[],
): Promise<Map<string, ShareView>> {
  if (shareIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('shares as s')
    .leftJoin('authors as a', 'a.id', 's.user_id')
    .select([
      's.id',
      's.post_id',
      's.user_id as author_id',
      's.quote',
      's.created_at',
      'a.username',
      'a.display_name',
      'a.avatar_url',
    ])
    .where('s.id', 'in', shareIds)
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      { id: row.id, post_id: row.post_id, sharer: authorOf(row), quote: row.quote, created_at: row.created_at },
    ]),
  );
}
