/**
 * The notifications API: newest first across pages, filters, unread count, read markers,
 * delete, and everyone sees and touches only their own notifications.
 */
import { Status, uuidv7 } from '@wren/platform';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  bearer,
  deliver,
  expectGrpcError,
  followed,
  registerUser,
  startTestServices,
  T,
  type TestServices,
  type TestUser,
  tick,
} from './helpers.js';

describe('notifications API', () => {
  let svc: TestServices;

  beforeAll(async () => {
    svc = await startTestServices();
  });
  afterAll(async () => {
    await svc?.stop();
  });

  /** Ana gets likes from `count` users on distinct posts (oldest first), then a follow. */
  const likedAna = async (count: number) => {
    const ana = await registerUser(svc, 'ana');
    const likers: TestUser[] = [];
    for (let i = 0; i < count; i += 1) {
      const liker = await registerUser(svc, 'liker');
      likers.push(liker);
      await deliver(svc, {
        $case: 'postLiked',
        value: { postId: uuidv7(), postAuthorId: ana.id, likerId: liker.id, excerpt: `post ${i}` },
      });
      await tick();
    }
    const follower = await registerUser(svc, 'fol');
    await deliver(svc, followed(follower.id, ana.id));
    return { ana, likers, follower };
  };

  it('lists newest first across pages, with no gap and no repeat', async () => {
    const { ana, likers, follower } = await likedAna(5);
    const seen: string[] = [];
    let pageToken = '';
    let pages = 0;
    do {
      const page = await svc.notifications.listNotifications({ pageSize: 2, pageToken }, as(ana));
      expect(page.notifications.length).toBeLessThanOrEqual(2);
      seen.push(...page.notifications.map((n) => n.actor?.id ?? ''));
      pageToken = page.nextPageToken;
      pages += 1;
    } while (pageToken !== '');
    expect(pages).toBe(3);
    expect(seen).toEqual([follower.id, ...likers.map((l) => l.id).reverse()]);
  });

  it('filters by type and unread, counts unread, and marks read by ids and up to one', async () => {
    const { ana, likers } = await likedAna(4);
    const likes = await svc.notifications.listNotifications({ types: [T.NOTIFICATION_TYPE_LIKE] }, as(ana));
    expect(likes.notifications.map((n) => n.actor?.id)).toEqual(likers.map((l) => l.id).reverse());
    const follows = await svc.notifications.listNotifications({ types: [T.NOTIFICATION_TYPE_FOLLOW] }, as(ana));
    expect(follows.notifications.map((n) => n.type)).toEqual([T.NOTIFICATION_TYPE_FOLLOW]);
    expect((await svc.notifications.getUnreadCount({}, as(ana))).count).toBe(5);

    // Newest like (index 0) and the same id twice: one change.
    const [l3, l2, l1, l0] = likes.notifications.map((n) => n.id);
    const byIds = await svc.notifications.markNotificationsRead({ notificationIds: [l3 ?? '', l3 ?? ''] }, as(ana));
    expect(byIds.marked).toBe(1);
    expect((await svc.notifications.getUnreadCount({}, as(ana))).count).toBe(4);
    // Up to l1: l1 and l0 change; l3 was read already, l2 is newer and stays unread.
    expect((await svc.notifications.markNotificationsRead({ upToNotificationId: l1 ?? '' }, as(ana))).marked).toBe(2);
    const unread = await svc.notifications.listNotifications({ unreadOnly: true }, as(ana));
    expect(unread.notifications.map((n) => n.id)).toEqual([follows.notifications[0]?.id, l2]);
    const all = await svc.notifications.listNotifications({ types: [T.NOTIFICATION_TYPE_LIKE] }, as(ana));
    expect(all.notifications.map((n) => n.read)).toEqual([true, false, true, true]);
    expect(l0).toBeDefined();
    // Again: nothing changes, and it says so.
    expect((await svc.notifications.markNotificationsRead({ upToNotificationId: l1 ?? '' }, as(ana))).marked).toBe(0);
    expect((await svc.notifications.getUnreadCount({}, as(ana))).count).toBe(2);
  });

  it('ignores or refuses other users’ notification ids', async () => {
    const { ana } = await likedAna(1);
    const { ana: eve } = await likedAna(1);
    const [anaNote] = (await svc.notifications.listNotifications({}, as(ana))).notifications;
    const [eveNote] = (await svc.notifications.listNotifications({}, as(eve))).notifications;
    const eveId = eveNote?.id ?? '';

    const marked = await svc.notifications.markNotificationsRead(
      { notificationIds: [eveId, anaNote?.id ?? ''] },
      as(ana),
    );
    expect(marked.marked).toBe(1);
    await expectGrpcError(
      svc.notifications.markNotificationsRead({ upToNotificationId: eveId }, as(ana)),
      Status.NOT_FOUND,
      { reason: 'NOTIFICATION_NOT_FOUND' },
    );
    await expectGrpcError(svc.notifications.deleteNotification({ notificationId: eveId }, as(ana)), Status.NOT_FOUND);
    await expectGrpcError(
      svc.notifications.deleteNotification({ notificationId: uuidv7() }, as(ana)),
      Status.NOT_FOUND,
    );
    expect((await svc.notifications.getUnreadCount({}, as(eve))).count).toBe(2);
    expect((await svc.notifications.listNotifications({}, as(eve))).notifications).toHaveLength(2);
  });

  it('deletes one idempotently, and the same like does not come back', async () => {
    const { ana, likers } = await likedAna(2);
    const before = await svc.notifications.listNotifications({ types: [T.NOTIFICATION_TYPE_LIKE] }, as(ana));
    const target = before.notifications[0];
    await svc.notifications.deleteNotification({ notificationId: target?.id ?? '' }, as(ana));
    await svc.notifications.deleteNotification({ notificationId: target?.id ?? '' }, as(ana));
    const after = await svc.notifications.listNotifications({}, as(ana));
    expect(after.notifications.map((n) => n.id)).not.toContain(target?.id);
    expect(after.notifications).toHaveLength(2);
    expect((await svc.notifications.getUnreadCount({}, as(ana))).count).toBe(2);
    await deliver(svc, {
      $case: 'postLiked',
      value: { postId: target?.target?.postId ?? '', postAuthorId: ana.id, likerId: likers[1]?.id ?? '', excerpt: '' },
    });
    expect((await svc.notifications.listNotifications({}, as(ana))).notifications).toHaveLength(2);
  });

  it('refuses bad input with INVALID_ARGUMENT naming the field', async () => {
    const ana = await registerUser(svc, 'ana');
    const n = svc.notifications;
    await expectGrpcError(n.listNotifications({ pageSize: 101 }, as(ana)), Status.INVALID_ARGUMENT, {
      fields: ['page_size'],
    });
    await expectGrpcError(n.listNotifications({ pageSize: -1 }, as(ana)), Status.INVALID_ARGUMENT, {
      fields: ['page_size'],
    });
    for (const pageToken of ['garbage!', 'WyJub3QtYS11dWlkIl0', Buffer.from('[1]').toString('base64url')]) {
      await expectGrpcError(n.listNotifications({ pageToken }, as(ana)), Status.INVALID_ARGUMENT, {
        fields: ['page_token'],
      });
      await expectGrpcError(n.listNotificationGroups({ pageToken }, as(ana)), Status.INVALID_ARGUMENT, {
        fields: ['page_token'],
      });
    }
    await expectGrpcError(
      n.listNotifications({ types: [T.NOTIFICATION_TYPE_LIKE, T.NOTIFICATION_TYPE_UNSPECIFIED] }, as(ana)),
      Status.INVALID_ARGUMENT,
      { fields: ['types[1]'] },
    );
    await expectGrpcError(n.deleteNotification({ notificationId: 'nope' }, as(ana)), Status.INVALID_ARGUMENT, {
      fields: ['notification_id'],
    });
    await expectGrpcError(
      n.markNotificationsRead({ notificationIds: [uuidv7(), 'x'] }, as(ana)),
      Status.INVALID_ARGUMENT,
      { fields: ['notification_ids[1]'] },
    );
    await expectGrpcError(
      n.markNotificationsRead({ notificationIds: Array.from({ length: 101 }, () => uuidv7()) }, as(ana)),
      Status.INVALID_ARGUMENT,
      { fields: ['notification_ids'] },
    );
    await expectGrpcError(n.markNotificationsRead({ upToNotificationId: 'x' }, as(ana)), Status.INVALID_ARGUMENT, {
      fields: ['up_to_notification_id'],
    });
    await expectGrpcError(
      n.markNotificationsRead({ notificationIds: [uuidv7()], upToNotificationId: uuidv7() }, as(ana)),
      Status.INVALID_ARGUMENT,
      { fields: ['up_to_notification_id'] },
    );
    await expectGrpcError(n.markNotificationsRead({}, as(ana)), Status.INVALID_ARGUMENT, {
      fields: ['notification_ids'],
    });
  });

  it('needs a user token for the API and a service credential for Deliver', async () => {
    const ana = await registerUser(svc, 'ana');
    const n = svc.notifications;
    await expectGrpcError(n.listNotifications({}), Status.UNAUTHENTICATED, { reason: 'MISSING_TOKEN' });
    await expectGrpcError(n.getUnreadCount({}), Status.UNAUTHENTICATED);
    await expectGrpcError(n.getPreferences({}, bearer('not.a.token')), Status.UNAUTHENTICATED);
    // A service never acts as a user.
    await expectGrpcError(n.listNotifications({}, bearer(svc.serviceToken)), Status.UNAUTHENTICATED);
    await expectGrpcError(svc.sink.deliver({ events: [] }, as(ana)), Status.PERMISSION_DENIED, {
      reason: 'SERVICE_ONLY',
    });
    await expectGrpcError(svc.sink.deliver({ events: [] }), Status.UNAUTHENTICATED);
  });

  it('counts unread from the partial index of unread notifications', async () => {
    const { ana } = await likedAna(1);
    await sql`VACUUM ANALYZE notifications`.execute(svc.db);
    const plan = await svc.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      return sql<{ 'QUERY PLAN': string }>`
        EXPLAIN SELECT count(*) FROM notifications
        WHERE recipient_id = ${ana.id}::uuid AND read_at IS NULL AND deleted_at IS NULL
      `.execute(trx);
    });
    const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index (Only )?Scan using notifications_unread/);
  });
});
