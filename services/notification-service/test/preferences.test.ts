/**
 * Preferences: the full type × channel matrix, on by default; IN_APP off for a type means
 * no notification of that type is created at all; other channels do not affect the row.
 */
import { Channel, type Preference } from '@wren/contracts/notification/v1/notification.js';
import { Status, uuidv7 } from '@wren/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  deliver,
  expectGrpcError,
  followed,
  registerUser,
  registerUsers,
  startTestServices,
  summary,
  T,
  type TestServices,
} from './helpers.js';

describe('notification preferences', () => {
  let svc: TestServices;

  beforeAll(async () => {
    svc = await startTestServices();
  });
  afterAll(async () => {
    await svc?.stop();
  });

  const off = (preferences: Preference[]) => preferences.filter((p) => !p.enabled).map((p) => `${p.type}/${p.channel}`);

  it('answers the whole matrix, everything on until turned off', async () => {
    const ana = await registerUser(svc, 'ana');
    const { preferences } = await svc.notifications.getPreferences({}, as(ana));
    expect(preferences).toHaveLength(18);
    expect(new Set(preferences.map((p) => `${p.type}/${p.channel}`)).size).toBe(18);
    expect(off(preferences)).toEqual([]);

    const updated = await svc.notifications.updatePreferences(
      {
        preferences: [
          { type: T.NOTIFICATION_TYPE_LIKE, channel: Channel.CHANNEL_IN_APP, enabled: false },
          { type: T.NOTIFICATION_TYPE_SHARE, channel: Channel.CHANNEL_EXPO_PUSH, enabled: false },
          { type: T.NOTIFICATION_TYPE_SHARE, channel: Channel.CHANNEL_WEB_PUSH, enabled: false },
          // The same cell twice: the later value wins.
          { type: T.NOTIFICATION_TYPE_SHARE, channel: Channel.CHANNEL_WEB_PUSH, enabled: true },
        ],
      },
      as(ana),
    );
    expect(updated.preferences).toHaveLength(18);
    const expected = ['NOTIFICATION_TYPE_LIKE/CHANNEL_IN_APP', 'NOTIFICATION_TYPE_SHARE/CHANNEL_EXPO_PUSH'];
    expect(off(updated.preferences).sort()).toEqual(expected);
    expect(off((await svc.notifications.getPreferences({}, as(ana))).preferences).sort()).toEqual(expected);
    // Someone else's matrix is untouched.
    const ben = await registerUser(svc, 'ben');
    expect(off((await svc.notifications.getPreferences({}, as(ben))).preferences)).toEqual([]);
  });

  it('creates no notification of a type whose IN_APP cell is off, until it is on again', async () => {
    const [ana, ben, cat] = await registerUsers(svc, ['ana', 'ben', 'cat']);
    await svc.notifications.updatePreferences(
      {
        preferences: [
          { type: T.NOTIFICATION_TYPE_LIKE, channel: Channel.CHANNEL_IN_APP, enabled: false },
          // Push channels off do not stop the in-app notification.
          { type: T.NOTIFICATION_TYPE_FOLLOW, channel: Channel.CHANNEL_WEB_PUSH, enabled: false },
          { type: T.NOTIFICATION_TYPE_FOLLOW, channel: Channel.CHANNEL_EXPO_PUSH, enabled: false },
        ],
      },
      as(ana),
    );
    const postId = uuidv7();
    await deliver(
      svc,
      { $case: 'postLiked', value: { postId, postAuthorId: ana.id, likerId: ben.id, excerpt: '' } },
      followed(ben.id, ana.id),
    );
    expect(await summary(svc, ana)).toEqual([`FOLLOW ${ben.id} - -`]);

    await svc.notifications.updatePreferences(
      { preferences: [{ type: T.NOTIFICATION_TYPE_LIKE, channel: Channel.CHANNEL_IN_APP, enabled: true }] },
      as(ana),
    );
    await deliver(svc, { $case: 'postLiked', value: { postId, postAuthorId: ana.id, likerId: cat.id, excerpt: '' } });
    expect(await summary(svc, ana)).toEqual([`LIKE ${cat.id} ${postId} -`, `FOLLOW ${ben.id} - -`]);
  });

  it('refuses unspecified types and channels, naming each field', async () => {
    const ana = await registerUser(svc, 'ana');
    await expectGrpcError(
      svc.notifications.updatePreferences(
        {
          preferences: [
            { type: T.NOTIFICATION_TYPE_LIKE, channel: Channel.CHANNEL_IN_APP, enabled: false },
            { type: T.NOTIFICATION_TYPE_UNSPECIFIED, channel: Channel.CHANNEL_IN_APP, enabled: false },
            { type: T.NOTIFICATION_TYPE_LIKE, channel: Channel.CHANNEL_UNSPECIFIED, enabled: false },
          ],
        },
        as(ana),
      ),
      Status.INVALID_ARGUMENT,
      { fields: ['preferences[1].type', 'preferences[2].channel'] },
    );
    // Nothing of a refused request is applied.
    expect(off((await svc.notifications.getPreferences({}, as(ana))).preferences)).toEqual([]);
  });
});
