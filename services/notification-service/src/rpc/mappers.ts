/** Rows to protobuf messages, in one place, so that no handler shapes a message by hand. */
import type { Actor, Notification, NotificationGroup, Target } from '@wren/contracts/notification/v1/notification.js';
import type { GroupActor, GroupRow } from '../db/queries/groups.js';
import type { NotificationRow } from '../db/queries/notifications.js';
import { typeFromDb } from '../domain/kinds.js';

/** An actor the replica does not know yet shows with empty names rather than failing. */
export function toActor(row: GroupActor): Actor {
  return {
    id: row.id,
    username: row.username ?? '',
    displayName: row.display_name ?? '',
    avatarUrl: row.avatar_url ?? '',
  };
}

function toTarget(row: { post_id: string | null; comment_id: string | null; excerpt: string }): Target {
  return { postId: row.post_id ?? '', commentId: row.comment_id ?? '', excerpt: row.excerpt };
}

export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    type: typeFromDb(row.type),
    actor: toActor({ ...row, id: row.actor_id }),
    target: toTarget(row),
    createdAt: row.created_at,
    read: row.read_at !== null,
  };
}

export function toGroup(row: GroupRow): NotificationGroup {
  return {
    type: typeFromDb(row.type),
    target: toTarget(row),
    latestActors: row.latest_actors.map(toActor),
    actorCount: row.actor_count,
    latestAt: new Date(row.created_at),
    read: row.unread_count === 0,
    latestNotificationId: row.id,
  };
}
