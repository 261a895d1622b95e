/**
 * StreamNotifications: the caller's new notifications as they are committed, after first
 * replaying those newer than the resume point.
 *
 * No gap and no duplicate across the switch from replay to live: the stream subscribes to
 * the live announcements first (and waits until LISTEN is in effect), then reads the replay.
 * Whatever commits after the subscription is queued; whatever committed before the replay's
 * snapshot is in the replay; an id that is in both is sent once, by the replay. The overlap is
 * decided by the replayed ids themselves, not by "id ≤ last replayed", because ids are made
 * before commit and a slightly older id may commit later.
 */
import type {
  NotificationServiceImplementation,
  StreamNotificationsResponse,
} from '@wren/contracts/notification/v1/notification_service.js';
import { notFound, requireUser, resourceExhausted, unauthenticated, type WrenCallContextExt } from '@wren/platform';
import type { NotificationServiceContext } from '../context.js';
import { recipientOf } from '../db/queries/notifications.js';
import { notificationOf, notificationsAfter } from '../db/queries/stream.js';
import { requireId } from '../domain/requests.js';
import { notificationHub } from '../stream/hub.js';
import { StreamQueue } from '../stream/queue.js';
import { toNotification } from './mappers.js';

/** At most this many missed notifications are replayed on resume (the newest of them). */
export const REPLAY_LIMIT = 500;
/** Announcements held for a client that does not keep up before its stream is failed. */
const QUEUE_LIMIT = 1000;

type StreamRpc = Pick<NotificationServiceImplementation<WrenCallContextExt>, 'streamNotifications'>;

const heartbeat: StreamNotificationsResponse = { event: { $case: 'heartbeat', value: {} } };

export function streamRpc(ctx: NotificationServiceContext): StreamRpc {
  const { db } = ctx.database;
  const heartbeatMs = ctx.config.streamHeartbeatMs;

  return {
    async *streamNotifications(request, context) {
      const { userId, sessionId } = requireUser(context);
      // A stream outlives the check of its token: once the session ends, it ends too, before
      // anything more is sent on it.
      const sessionEnded = () => ctx.revokedSessions.has(sessionId);
      const raw = request.afterNotificationId;
      const after = raw === '' ? undefined : requireId('after_notification_id', raw);
      // Someone else's id (or one that never was) must not reveal anything, nor anchor a replay.
      if (after !== undefined && (await recipientOf(db, after)) !== userId) {
        throw notFound('no such notification', 'NOTIFICATION_NOT_FOUND');
      }

      const hub = notificationHub(ctx);
      const signal = AbortSignal.any([context.signal, hub.stoppingSignal]);
      const queue = new StreamQueue<string>(QUEUE_LIMIT, () =>
        resourceExhausted('the client does not keep up with its notifications; reconnect to resume', 'STREAM_BEHIND'),
      );
      const unsubscribe = await hub.subscribe(userId, {
        notify: (id) => queue.push(id),
        fail: (error) => queue.fail(error),
      });
      try {
        // At once, as a sign the stream is open and live: the gateway waits for it before
        // answering 200, so that a refusal above can still become an HTTP error.
        yield heartbeat;
        const replayed = new Set<string>();
        if (after !== undefined) {
          for (const row of await notificationsAfter(db, userId, after, REPLAY_LIMIT)) {
            if (signal.aborted) return;
            replayed.add(row.id);
            yield { event: { $case: 'notification', value: toNotification(row) } };
          }
        }
        while (true) {
          const next = await queue.next(heartbeatMs, signal);
          if (next.kind === 'stopped') return;
          if (sessionEnded()) throw unauthenticated('the session has ended', 'SESSION_REVOKED');
          if (next.kind === 'idle') {
            yield heartbeat;
            continue;
          }
          // Each id is announced once, so a replayed id can be forgotten once it is skipped.
          if (replayed.delete(next.value)) continue;
          const row = await notificationOf(db, userId, next.value);
          if (row) yield { event: { $case: 'notification', value: toNotification(row) } };
        }
      } finally {
        unsubscribe();
      }
    },
  };
}
