/**
 * Home and user timelines: a page of feed rows and every post on it (one statement for a
 * home page, two for a user's), then the shares on it in one batch query, whatever the page
 * size (see post-views.ts).
 */
import { notFound } from '@wren/platform';
import type { Kysely } from 'kysely';
import type { FeedRow } from '../db/queries/feed.js';
import {
  loadHomePage,
  loadPostViews,
  loadShareViews,
  loadUserPage,
  type PostView,
  type ShareView,
} from '../db/queries/post-views.js';
import type { PostDatabase } from '../db/schema.js';

export type TimelineEntry =
  | { kind: 'post'; id: string; post: PostView }
  | { kind: 'share'; id: string; share: ShareView; post: PostView };

export async function hydrate(
  db: Kysely<PostDatabase>,
  rows: readonly FeedRow[],
  viewerId: string | undefined,
  loaded?: Map<string, PostView>,
): Promise<TimelineEntry[]> {
  const posts = loaded ?? (await loadPostViews(db, [...new Set(rows.map((row) => row.post_id))], viewerId));
  const shareIds = rows.flatMap((row) => (row.share_id ? [row.share_id] : []));
  const shares = await loadShareViews(db, shareIds);
  // A row whose post or share was deleted since the page was read is simply left out.
  return rows.flatMap((row): TimelineEntry[] => {
    const post = posts.get(row.post_id);
    if (!post) return [];
    if (!row.share_id) return [{ kind: 'post', id: row.id, post }];
    const share = shares.get(row.share_id);
    return share ? [{ kind: 'share', id: row.id, share, post }] : [];
  });
}

/** Reads `limit + 1` rows so the caller can tell whether another page follows. */
export async function homeTimeline(
  db: Kysely<PostDatabase>,
  viewerId: string,
  limit: number,
  afterId: string | undefined,
): Promise<{ rows: FeedRow[]; entries: TimelineEntry[] }> {
  const { rows, posts } = await loadHomePage(db, viewerId, limit + 1, afterId);
  return { rows, entries: await hydrate(db, rows.slice(0, limit), viewerId, posts) };
}

export async function userTimeline(
  db: Kysely<PostDatabase>,
  viewerId: string | undefined,
  username: string,
  limit: number,
  afterId: string | undefined,
): Promise<{ rows: FeedRow[]; entries: TimelineEntry[] }> {
  const page = await loadUserPage(db, viewerId, username, limit + 1, afterId);
  if (!page) throw notFound('user not found', 'USER_NOT_FOUND');
  return { rows: page.rows, entries: await hydrate(db, page.rows.slice(0, limit), viewerId, page.posts) };
}
