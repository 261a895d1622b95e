/**
 * What notification-service's answers become over HTTP: camelCase, nulls where proto3 can
 * only say "empty", the Link header that keeps the filters, and the preference matrix.
 */
import { Channel, NotificationType } from '@wren/contracts/notification/v1/notification.js';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { nextLink } from './support/api.js';
import { type Harness, startHarness } from './support/harness.js';
import {
  ALL_ON,
  actor,
  group,
  NOTIFICATION_ID,
  notification,
  OTHER_NOTIFICATION_ID,
  preferenceMatrix,
} from './support/notification-fixtures.js';
import { COMMENT_ID, POST_ID } from './support/post-fixtures.js';
import { expectProblem } from './support/problems.js';
import { signTestToken } from './support/tokens.js';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  token = await signTestToken();
});
afterAll(() => h?.stop());
beforeEach(() => h.notification.reset());

const T = NotificationType;

describe('what the client sees', () => {
  test('a page of notifications: nulls for what proto3 leaves empty, and a Link that keeps the filters', async () => {
    h.notification.on('listNotifications', async () => ({
      notifications: [
        notification({ read: true }),
        notification({
          id: OTHER_NOTIFICATION_ID,
          type: T.NOTIFICATION_TYPE_FOLLOW,
          actor: { ...actor, avatarUrl: '' },
          target: { postId: '', commentId: '', excerpt: '' },
        }),
        notification({ type: T.NOTIFICATION_TYPE_LIKE, target: { postId: POST_ID, commentId: '', excerpt: 'hi' } }),
        notification({ type: T.NOTIFICATION_TYPE_FOLLOW, target: undefined }),
      ],
      nextPageToken: 'next_2',
    }));
    const response = await h.fetch('/v1/notifications?types=like&types=follow&unread=true&limit=4', { token });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: unknown[]; nextCursor: string };
    expect(body).toEqual({
      items: [
        {
          id: NOTIFICATION_ID,
          type: 'comment',
          actor,
          target: { postId: POST_ID, commentId: COMMENT_ID, excerpt: 'nice post' },
          createdAt: '2026-01-02T03:04:05.678Z',
          read: true,
        },
        {
          id: OTHER_NOTIFICATION_ID,
          type: 'follow',
          actor: { ...actor, avatarUrl: null },
          target: null,
          createdAt: '2026-01-02T03:04:05.678Z',
          read: false,
        },
        expect.objectContaining({ type: 'like', target: { postId: POST_ID, commentId: null, excerpt: 'hi' } }),
        expect.objectContaining({ type: 'follow', target: null }),
      ],
      nextCursor: 'next_2',
    });
    const next = new URL(nextLink(response) ?? '');
    expect(next.pathname).toBe('/v1/notifications');
    expect(next.searchParams.get('cursor')).toBe('next_2');
    expect(next.searchParams.get('limit')).toBe('4');
    expect(next.searchParams.getAll('types')).toEqual(['like', 'follow']);
    expect(next.searchParams.get('unread')).toBe('true');
  });

  test('the last page has no Link and a null cursor', async () => {
    h.notification.on('listNotifications', async () => ({ notifications: [], nextPageToken: '' }));
    const response = await h.fetch('/v1/notifications', { token });
    expect(await response.json()).toEqual({ items: [], nextCursor: null });
    expect(response.headers.get('link')).toBeNull();
  });

  test('groups', async () => {
    h.notification.on('listNotificationGroups', async () => ({
      groups: [
        group(),
        group({
          type: T.NOTIFICATION_TYPE_FOLLOW,
          target: undefined,
          latestActors: [actor],
          actorCount: 1,
          read: true,
        }),
      ],
      nextPageToken: 'g2',
    }));
    const response = await h.fetch('/v1/notifications/groups?types[]=like', { token });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      items: [
        {
          type: 'like',
          target: { postId: POST_ID, commentId: null, excerpt: 'hello' },
          latestActors: [
            actor,
            { ...actor, id: '0190f2a0-0000-7000-8000-000000000003', username: 'ana', avatarUrl: null },
          ],
          actorCount: 4,
          latestAt: '2026-01-02T03:04:05.678Z',
          read: false,
          latestNotificationId: NOTIFICATION_ID,
        },
        expect.objectContaining({ type: 'follow', target: null, latestActors: [actor], actorCount: 1, read: true }),
      ],
      nextCursor: 'g2',
    });
    const next = new URL(nextLink(response) ?? '');
    expect(next.pathname).toBe('/v1/notifications/groups');
    expect(next.searchParams.getAll('types[]')).toEqual(['like']);
  });

  test('unread count, marked, and 204 on delete', async () => {
    h.notification.on('getUnreadCount', async () => ({ count: 7 }));
    h.notification.on('markNotificationsRead', async () => ({ marked: 2 }));
    h.notification.on('deleteNotification', async () => ({}));
    expect(await (await h.fetch('/v1/notifications/unread-count', { token })).json()).toEqual({ count: 7 });
    const read = await h.fetch('/v1/notifications/read', { method: 'POST', token, json: { upTo: NOTIFICATION_ID } });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ marked: 2 });
    const deleted = await h.fetch(`/v1/notifications/${NOTIFICATION_ID}`, { method: 'DELETE', token });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
  });

  test('the preference matrix, both ways', async () => {
    const off = [
      { type: T.NOTIFICATION_TYPE_LIKE, channel: Channel.CHANNEL_WEB_PUSH },
      { type: T.NOTIFICATION_TYPE_MENTION, channel: Channel.CHANNEL_EXPO_PUSH },
    ];
    h.notification.on('getPreferences', async () => ({ preferences: preferenceMatrix() }));
    h.notification.on('updatePreferences', async () => ({
      // In another order than the gateway's, with a cell of a channel it does not know yet.
      preferences: [
        ...preferenceMatrix(off).reverse(),
        { type: T.NOTIFICATION_TYPE_LIKE, channel: Channel.UNRECOGNIZED, enabled: false },
      ],
    }));
    const got = await h.fetch('/v1/notifications/preferences', { token });
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual({ preferences: ALL_ON });
    const json = { preferences: { like: { webPush: false }, mention: { expoPush: false } } };
    const put = await h.fetch('/v1/notifications/preferences', { method: 'PUT', token, json });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({
      preferences: {
        ...ALL_ON,
        like: { inApp: true, webPush: false, expoPush: true },
        mention: { inApp: true, webPush: true, expoPush: false },
      },
    });
  });

  test('a matrix with a cell missing, or a notification of an unknown type, is a service bug: 500', async () => {
    h.notification.on('getPreferences', async () => ({ preferences: preferenceMatrix().slice(1) }));
    h.notification.on('listNotifications', async () => ({
      notifications: [notification({ type: T.NOTIFICATION_TYPE_UNSPECIFIED })],
      nextPageToken: '',
    }));
    const matrix = await expectProblem(await h.fetch('/v1/notifications/preferences', { token }), 500, 'internal');
    expect(matrix.detail).not.toContain('preference');
    await expectProblem(await h.fetch('/v1/notifications', { token }), 500, 'internal');
  });
});
