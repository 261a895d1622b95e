import type { NotificationServiceImplementation } from '@wren/contracts/notification/v1/notification_service.js';
import {
  FieldErrors,
  isUuid,
  notFound,
  pageSize,
  paginate,
  requireUser,
  type WrenCallContextExt,
} from '@wren/platform';
import type { NotificationServiceContext } from '../context.js';
import { listGroups } from '../db/queries/groups.js';
import {
  countUnread,
  listNotifications,
  markReadByIds,
  markReadUpTo,
  recipientOf,
  softDelete,
} from '../db/queries/notifications.js';
import { decodeIdCursor, requireId, typeFilter } from '../domain/requests.js';
import { toGroup, toNotification } from './mappers.js';

export const MAX_MARK_IDS = 100;

type NotificationsRpc = Omit<
  NotificationServiceImplementation<WrenCallContextExt>,
  'getPreferences' | 'updatePreferences' | 'streamNotifications'
>;

/** Read markers by ids or up to one notification: exactly one of the two, checked. */
function markRequest(request: { notificationIds: string[]; upToNotificationId: string }) {
  const errors = new FieldErrors();
  const { notificationIds: raw, upToNotificationId: upTo } = request;
  if (raw.length > MAX_MARK_IDS) errors.add('notification_ids', `must hold at most ${MAX_MARK_IDS} ids`);
  raw.forEach((id, index) => {
    if (!isUuid(id)) errors.add(`notification_ids[${index}]`, 'must be a UUID');
  });
  if (upTo !== '' && raw.length > 0) errors.add('up_to_notification_id', 'cannot be combined with notification_ids');
  else if (upTo !== '' && !isUuid(upTo)) errors.add('up_to_notification_id', 'must be a UUID');
  else if (upTo === '' && raw.length === 0) {
    errors.add('notification_ids', 'give notification_ids or up_to_notification_id');
  }
  errors.throwIfAny();
  return upTo !== '' ? { upTo: upTo.toLowerCase() } : { ids: [...new Set(raw.map((id) => id.toLowerCase()))] };
}

export function notificationsRpc(ctx: NotificationServiceContext): NotificationsRpc {
  const { db } = ctx.database;

  return {
    async listNotifications(request, context) {
      const { userId } = requireUser(context);
      const limit = pageSize(request.pageSize);
      const before = decodeIdCursor(request.pageToken);
      const filter = { types: typeFilter(request.types), unreadOnly: request.unreadOnly };
      const rows = await listNotifications(db, userId, filter, limit + 1, before);
      const { items, nextPageToken } = paginate(rows, limit, (row) => [row.id]);
      return { notifications: items.map(toNotification), nextPageToken };
    },

    async listNotificationGroups(request, context) {
      const { userId } = requireUser(context);
      const limit = pageSize(request.pageSize);
      const before = decodeIdCursor(request.pageToken);
      const filter = { types: typeFilter(request.types), unreadOnly: request.unreadOnly };
      const rows = await listGroups(db, userId, filter, limit + 1, before);
      const { items, nextPageToken } = paginate(rows, limit, (row) => [row.id]);
      return { groups: items.map(toGroup), nextPageToken };
    },

    async getUnreadCount(_request, context) {
      const { userId } = requireUser(context);
      return { count: await countUnread(db, userId) };
    },

    async markNotificationsRead(request, context) {
      const { userId } = requireUser(context);
      const mark = markRequest(request);
      if (mark.ids) return { marked: await markReadByIds(db, userId, mark.ids) };
      // The anchor must be the caller's own: someone else's id says nothing about this list.
      if ((await recipientOf(db, mark.upTo)) !== userId) {
        throw notFound('no such notification', 'NOTIFICATION_NOT_FOUND');
      }
      return { marked: await markReadUpTo(db, userId, mark.upTo) };
    },

    async deleteNotification(request, context) {
      const { userId } = requireUser(context);
      const id = requireId('notification_id', request.notificationId);
      // Deleting one's own twice is fine (the row stays as a tombstone); anyone else's, or
      // an id that never was, is not found.
      if ((await recipientOf(db, id)) !== userId) throw notFound('no such notification', 'NOTIFICATION_NOT_FOUND');
      await softDelete(db, userId, id);
      return {};
    },
  };
}
