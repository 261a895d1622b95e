/**
 * The notification routes against a scripted notification-service over real gRPC: what each
 * HTTP request becomes over gRPC (fields, filters, token), and how the service's refusals
 * read (in the client's field names).
 */
import { Channel, NotificationType } from '@wren/contracts/notification/v1/notification.js';
import { invalidArgument, notFound } from '@wren/platform';
import { ServerError, Status } from 'nice-grpc-common';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Harness, startHarness } from './support/harness.js';
import { NOTIFICATION_ID, OTHER_NOTIFICATION_ID } from './support/notification-fixtures.js';
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
const list = { pageSize: 20, pageToken: '', types: [], unreadOnly: false };

describe('what reaches notification-service', () => {
  test.each([
    ['GET', '/v1/notifications', undefined, 'listNotifications', list],
    [
      'GET',
      '/v1/notifications?types=like&types=comment&unread=true&limit=5&cursor=c_1',
      undefined,
      'listNotifications',
      {
        pageSize: 5,
        pageToken: 'c_1',
        types: [T.NOTIFICATION_TYPE_LIKE, T.NOTIFICATION_TYPE_COMMENT],
        unreadOnly: true,
      },
    ],
    [
      'GET',
      '/v1/notifications?types=follow',
      undefined,
      'listNotifications',
      { ...list, types: [T.NOTIFICATION_TYPE_FOLLOW] },
    ],
    [
      'GET',
      '/v1/notifications?types[]=share&types[]=mention&unread=false',
      undefined,
      'listNotifications',
      { ...list, types: [T.NOTIFICATION_TYPE_SHARE, T.NOTIFICATION_TYPE_MENTION] },
    ],
    [
      'GET',
      '/v1/notifications?types%5B%5D=reply',
      undefined,
      'listNotifications',
      { ...list, types: [T.NOTIFICATION_TYPE_REPLY] },
    ],
    [
      'GET',
      '/v1/notifications/groups?types=like&types=share&unread=true',
      undefined,
      'listNotificationGroups',
      { ...list, types: [T.NOTIFICATION_TYPE_LIKE, T.NOTIFICATION_TYPE_SHARE], unreadOnly: true },
    ],
    ['GET', '/v1/notifications/unread-count', undefined, 'getUnreadCount', {}],
    [
      'POST',
      '/v1/notifications/read',
      { ids: [NOTIFICATION_ID, OTHER_NOTIFICATION_ID] },
      'markNotificationsRead',
      { notificationIds: [NOTIFICATION_ID, OTHER_NOTIFICATION_ID], upToNotificationId: '' },
    ],
    [
      'POST',
      '/v1/notifications/read',
      { upTo: NOTIFICATION_ID },
      'markNotificationsRead',
      { notificationIds: [], upToNotificationId: NOTIFICATION_ID },
    ],
    [
      'DELETE',
      `/v1/notifications/${NOTIFICATION_ID}`,
      undefined,
      'deleteNotification',
      { notificationId: NOTIFICATION_ID },
    ],
    ['GET', '/v1/notifications/preferences', undefined, 'getPreferences', {}],
    [
      'PUT',
      '/v1/notifications/preferences',
      { preferences: { mention: { expoPush: false }, like: { webPush: false, inApp: true } } },
      'updatePreferences',
      {
        preferences: [
          { type: T.NOTIFICATION_TYPE_LIKE, channel: Channel.CHANNEL_IN_APP, enabled: true },
          { type: T.NOTIFICATION_TYPE_LIKE, channel: Channel.CHANNEL_WEB_PUSH, enabled: false },
          { type: T.NOTIFICATION_TYPE_MENTION, channel: Channel.CHANNEL_EXPO_PUSH, enabled: false },
        ],
      },
    ],
  ] as const)('%s %s → %s', async (method, path, json, rpc, expected) => {
    h.notification.on(rpc, async () => {
      throw new ServerError(Status.NOT_FOUND, 'scripted');
    });
    const response = await h.fetch(path, { method, token, json, headers: { 'x-request-id': 'trace-9' } });
    await expectProblem(response, 404, 'not-found');
    expect(h.notification.calls).toEqual([
      { method: rpc, request: expected, authorization: `Bearer ${token}`, requestId: 'trace-9' },
    ]);
  });
});

describe("the service's refusals, in the client's field names", () => {
  test.each([
    ['notification_ids', 'ids'],
    ['notification_ids[3]', 'ids[3]'],
    ['up_to_notification_id', 'upTo'],
    ['notification_id', 'id'],
    ['types', 'types'],
    ['page_token', 'cursor'],
  ])('%s → %s', async (field, json) => {
    h.notification.on('markNotificationsRead', async () => {
      throw invalidArgument({ field, description: 'is not valid' });
    });
    const response = await h.fetch('/v1/notifications/read', {
      method: 'POST',
      token,
      json: { ids: [NOTIFICATION_ID] },
    });
    const problem = await expectProblem(response, 400, 'validation-failed', { fields: [json] });
    expect(problem.errors).toEqual([{ field: json, message: 'is not valid' }]);
  });

  test("an unknown notification, or another user's, is a 404", async () => {
    h.notification.on('deleteNotification', async () => {
      throw notFound('No such notification.', 'NOTIFICATION_NOT_FOUND');
    });
    const problem = await expectProblem(
      await h.fetch(`/v1/notifications/${NOTIFICATION_ID}`, { method: 'DELETE', token }),
      404,
      'not-found',
      { instance: `/v1/notifications/${NOTIFICATION_ID}` },
    );
    expect(problem.code).toBe('NOTIFICATION_NOT_FOUND');
  });
});
