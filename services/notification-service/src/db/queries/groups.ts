/**
 * The grouped view. A group is every live notification of one recipient with the same
 * `group_key` (a generated column: type + target for likes and shares, the notification's
 * own id otherwise). A group is listed at its head, its newest member, so the page is a
 * keyset scan over the recipient's notifications by id that keeps only heads — each head
 * test is one probe of `notifications_by_group` — and the cursor is the last head's id.
 * Counts and the three latest actors are then read per group from the same index.
 *
 * A group that gains a member while someone pages moves to the top; later pages do not
 * show it again (its head is now above the cursor), a refreshed first page does.
 */
import { type Kysely, sql } from 'kysely';
import type { NotificationDatabase, NotificationTypeValue } from '../schema.js';
import type { ListFilter } from './notifications.js';

export interface GroupActor {
  id: string;
  username: string | null;
  display_name: string | null;
  avatar_url: string | null;
}

export interface GroupRow {
  id: string;
  type: NotificationTypeValue;
  post_id: string | null;
  comment_id: string | null;
  excerpt: string;
  created_at: Date;
  actor_count: number;
  unread_count: number;
  latest_actors: GroupActor[];
}

export async function listGroups(
  db: Kysely<NotificationDatabase>,
  recipientId: string,
  filter: ListFilter,
  limit: number,
  beforeId: string | undefined,
): Promise<GroupRow[]> {
  const before = beforeId === undefined ? sql`` : sql`AND n.id < ${beforeId}::uuid`;
  const types = filter.types.length === 0 ? sql`` : sql`AND n.type IN (${sql.join(filter.types)})`;
  // A group counts as unread while any member is; the whole group is shown then.
  const unread = filter.unreadOnly
    ? sql`AND EXISTS (
        SELECT 1 FROM notifications u
        WHERE u.recipient_id = n.recipient_id AND u.group_key = n.group_key
          AND u.read_at IS NULL AND u.deleted_at IS NULL)`
    : sql``;
  const result = await sql<GroupRow>`
    WITH heads AS (
      SELECT n.id, n.group_key, n.type, n.post_id, n.comment_id, n.excerpt, n.created_at
      FROM notifications n
      WHERE n.recipient_id = ${recipientId}::uuid AND n.deleted_at IS NULL ${before} ${types}
        AND NOT EXISTS (
          SELECT 1 FROM notifications newer
          WHERE newer.recipient_id = n.recipient_id AND newer.group_key = n.group_key
            AND newer.id > n.id AND newer.deleted_at IS NULL)
        ${unread}
      ORDER BY n.id DESC
      LIMIT ${limit}
    )
    SELECT h.id, h.type, h.post_id, h.comment_id, h.excerpt, h.created_at,
      stats.actor_count, stats.unread_count, latest.latest_actors
    FROM heads h
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS actor_count, (count(*) FILTER (WHERE m.read_at IS NULL))::int AS unread_count
      FROM notifications m
      WHERE m.recipient_id = ${recipientId}::uuid AND m.group_key = h.group_key AND m.deleted_at IS NULL
    ) stats
    CROSS JOIN LATERAL (
      SELECT coalesce(json_agg(json_build_object(
        'id', m.actor_id, 'username', a.username, 'display_name', a.display_name, 'avatar_url', a.avatar_url
      ) ORDER BY m.id DESC), '[]'::json) AS latest_actors
      FROM (
        SELECT id, actor_id FROM notifications
        WHERE recipient_id = ${recipientId}::uuid AND group_key = h.group_key AND deleted_at IS NULL
        ORDER BY id DESC
        LIMIT 3
      ) m
      LEFT JOIN actors a ON a.id = m.actor_id
    ) latest
    ORDER BY h.id DESC
  `.execute(db);
  return result.rows;
}
