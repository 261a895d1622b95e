/**
 * Everything a post or share looks like to one viewer, loaded for a whole page at once:
 * one query for the posts (author, counts, the mentions and hashtags stored with the post,
 * the viewer's flags as sub-selects) and one for the shares, however long the page.
 */
import { type Kysely, sql } from 'kysely';
import type { PostDatabase, VisibilityValue } from '../schema.js';
import type { AuthorRow } from './authors.js';
import type { FeedRow } from './feed.js';

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

interface PostViewRow {
  id: string;
  author_id: string;
  text: string;
  visibility: VisibilityValue;
  created_at: Date;
  edited_at: Date | null;
  like_count: number;
  comment_count: number;
  share_count: number;
  username: string | null;
  display_name: string | null;
  avatar_url: string | null;
  liked: boolean;
  shared: boolean;
  hashtags: string[];
  mentions: { user_id: string; username: string }[];
}

/** The columns of a post view, over `posts p LEFT JOIN authors a`, for `viewer` (or nobody). */
function postViewColumns(viewer: string | null) {
  return sql`
    p.id, p.author_id, p.text, p.visibility, p.created_at, p.edited_at,
    p.like_count, p.comment_count, p.share_count,
    a.username, a.display_name, a.avatar_url,
    EXISTS (SELECT 1 FROM post_likes l WHERE l.post_id = p.id AND l.user_id = ${viewer}::uuid) AS liked,
    EXISTS (SELECT 1 FROM shares s WHERE s.post_id = p.id AND s.user_id = ${viewer}::uuid) AS shared,
    p.hashtags, p.mentions`;
}

function toPostView(row: PostViewRow): PostView {
  return {
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
  };
}

/**
 * The posts as `viewerId` sees them. The ids go as one array parameter, so the statement
 * text is the same for any number of posts (one prepared statement, see platform/db).
 */
export async function loadPostViews(
  db: Kysely<PostDatabase>,
  postIds: readonly string[],
  viewerId: string | undefined,
): Promise<Map<string, PostView>> {
  if (postIds.length === 0) return new Map();
  const { rows } = await sql<PostViewRow>`
    SELECT ${postViewColumns(viewerId ?? null)}
      FROM posts p LEFT JOIN authors a ON a.id = p.author_id
     WHERE p.id = ANY(${[...postIds]}::uuid[])
  `.execute(db);
  return new Map(rows.map((row) => [row.id, toPostView(row)]));
}

export interface HomePage {
  /** The feed rows read (limit + 1 when there is a next page). */
  rows: FeedRow[];
  posts: Map<string, PostView>;
}

/**
 * A home page and the posts on it in one statement (one round trip): the viewer's newest
 * materialised feed rows (see the home_feed migration) joined to their post views.
 */
export async function loadHomePage(
  db: Kysely<PostDatabase>,
  viewerId: string,
  limit: number,
  afterId: string | undefined,
): Promise<HomePage> {
  // One text with or without a cursor: the all-ones UUID sorts after every UUIDv7.
  const after = afterId ?? 'ffffffff-ffff-ffff-ffff-ffffffffffff';
  const { rows } = await sql<PostViewRow & { feed_id: string; feed_post_id: string; feed_share_id: string | null }>`
    WITH page AS (
      SELECT f.id, f.post_id, f.share_id
        FROM home_feed f
       WHERE f.owner_id = ${viewerId}::uuid AND f.id < ${after}::uuid
       ORDER BY f.id DESC
       LIMIT ${limit}
    )
    SELECT page.id AS feed_id, page.post_id AS feed_post_id, page.share_id AS feed_share_id,
           ${postViewColumns(viewerId)}
      FROM page
      LEFT JOIN posts p ON p.id = page.post_id
      LEFT JOIN authors a ON a.id = p.author_id
     ORDER BY page.id DESC
  `.execute(db);
  const posts = new Map<string, PostView>();
  for (const row of rows) if (row.id !== null) posts.set(row.id, toPostView(row));
  return {
    rows: rows.map((row) => ({ id: row.feed_id, post_id: row.feed_post_id, share_id: row.feed_share_id })),
    posts,
  };
}

/**
 * A user's page and the posts on it in one statement: the author by username, whether the
 * viewer sees their followers-only items (the author, or a follower), their newest feed
 * rows and the post views. Undefined when there is no such user.
 */
export async function loadUserPage(
  db: Kysely<PostDatabase>,
  viewerId: string | undefined,
  username: string,
  limit: number,
  afterId: string | undefined,
): Promise<HomePage | undefined> {
  const viewer = viewerId ?? null;
  const after = afterId ?? 'ffffffff-ffff-ffff-ffff-ffffffffffff';
  const { rows } = await sql<
    Partial<PostViewRow> & { feed_id: string | null; feed_post_id: string; feed_share_id: string | null }
  >`
    WITH author AS (
      SELECT a.id,
             (a.id = ${viewer}::uuid
              OR EXISTS (SELECT 1 FROM follows w WHERE w.follower_id = ${viewer}::uuid AND w.followee_id = a.id))
               AS sees_followers_only
        FROM authors a
       WHERE a.username = ${username.toLowerCase()}
    ), page AS (
      SELECT f.id, f.post_id, f.share_id
        FROM feed_items f, author
       WHERE f.actor_id = author.id
         AND (author.sees_followers_only OR f.visibility = 'public')
         AND f.id < ${after}::uuid
       ORDER BY f.id DESC
       LIMIT ${limit}
    )
    SELECT page.id AS feed_id, page.post_id AS feed_post_id, page.share_id AS feed_share_id,
           ${postViewColumns(viewer)}
      FROM author
      LEFT JOIN page ON true
      LEFT JOIN posts p ON p.id = page.post_id
      LEFT JOIN authors a ON a.id = p.author_id
     ORDER BY page.id DESC
  `.execute(db);
  // No row at all: no such author. One row without a feed id: an author with nothing to show.
  if (rows.length === 0) return undefined;
  const posts = new Map<string, PostView>();
  const feed: FeedRow[] = [];
  for (const row of rows) {
    if (row.feed_id === null) continue;
    feed.push({ id: row.feed_id, post_id: row.feed_post_id, share_id: row.feed_share_id });
    if (row.id) posts.set(row.id, toPostView(row as PostViewRow));
  }
  return { rows: feed, posts };
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
