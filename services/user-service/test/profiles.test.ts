import { Status, uuidv7 } from '@wren/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectGrpcError, registerUser, startTestService, type TestService, type TestUser } from './helpers.js';

let svc: TestService;

beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.stop();
});

describe('GetMe and UpdateMe', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await registerUser(svc, 'me');
  });

  it('changes only the fields present, trimmed', async () => {
    const first = await svc.profiles.updateMe(
      { displayName: '  Ada 🐦  ', bio: 'line one\r\nline two\n', avatarUrl: 'https://cdn.example.com/a.png?s=64' },
      bearer(user.accessToken),
    );
    expect(first.account).toMatchObject({
      id: user.id,
      email: user.email,
      displayName: 'Ada 🐦',
      bio: 'line one\nline two',
      avatarUrl: 'https://cdn.example.com/a.png?s=64',
    });
    const second = await svc.profiles.updateMe({ displayName: 'Ada L.' }, bearer(user.accessToken));
    expect(second.account).toMatchObject({
      displayName: 'Ada L.',
      bio: 'line one\nline two',
      avatarUrl: 'https://cdn.example.com/a.png?s=64',
    });
    const cleared = await svc.profiles.updateMe({ avatarUrl: '', bio: '' }, bearer(user.accessToken));
    expect(cleared.account).toMatchObject({ displayName: 'Ada L.', bio: '', avatarUrl: '' });
    expect((await svc.profiles.getMe({}, bearer(user.accessToken))).account).toMatchObject({
      displayName: 'Ada L.',
      bio: '',
    });
  });

  it('counts characters, not UTF-16 units, against the limits', async () => {
    const name = '🐦'.repeat(50);
    const response = await svc.profiles.updateMe({ displayName: name, bio: 'é'.repeat(300) }, bearer(user.accessToken));
    expect(response.account?.displayName).toBe(name);
    await expectGrpcError(
      svc.profiles.updateMe({ displayName: '🐦'.repeat(51) }, bearer(user.accessToken)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['display_name'],
      },
    );
  });

  it('refuses bad values, all fields at once, and changes nothing', async () => {
    await svc.profiles.updateMe({ displayName: 'Kept', bio: 'kept', avatarUrl: '' }, bearer(user.accessToken));
    await expectGrpcError(
      svc.profiles.updateMe(
        { displayName: 'bell\u0007', bio: 'x'.repeat(301), avatarUrl: 'javascript:alert(1)' },
        bearer(user.accessToken),
      ),
      Status.INVALID_ARGUMENT,
      { fields: ['display_name', 'bio', 'avatar_url'] },
    );
    const refused = [
      'ftp://example.com/a.png',
      '/relative/a.png',
      'http:example.com',
      'https://user:pw@example.com/a.png',
      `https://example.com/${'a'.repeat(2048)}`,
      'https://exa mple.com/',
      // The API promises an https URL to a public host: browsers load it for every viewer.
      'http://example.com/a.png',
      'https://localhost/a.png',
      'https://127.0.0.1/a.png',
      'https://[::ffff:0:7f00:1]/a.png',
      'https://192.168.1.1/a.png',
    ];
    for (const avatarUrl of refused) {
      await expectGrpcError(svc.profiles.updateMe({ avatarUrl }, bearer(user.accessToken)), Status.INVALID_ARGUMENT, {
        fields: ['avatar_url'],
      });
    }
    await expectGrpcError(
      svc.profiles.updateMe({ bio: 'tab\there' }, bearer(user.accessToken)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['bio'],
      },
    );
    await expectGrpcError(
      svc.profiles.updateMe({ displayName: 'two\nlines' }, bearer(user.accessToken)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['display_name'],
      },
    );
    await expectGrpcError(
      svc.profiles.updateMe({ displayName: '\u202Egnp.exe' }, bearer(user.accessToken)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['display_name'],
      },
    );
    expect((await svc.profiles.getMe({}, bearer(user.accessToken))).account).toMatchObject({
      displayName: 'Kept',
      bio: 'kept',
      avatarUrl: '',
    });
  });
});

describe('GetProfile', () => {
  it('is public, case-insensitive, and fills the viewer flags only for a viewer', async () => {
    const star = await registerUser(svc, 'star');
    const fan = await registerUser(svc, 'fan');
    await svc.follows.follow({ username: star.username }, bearer(fan.accessToken));

    const anonymous = await svc.profiles.getProfile({ username: star.username.toUpperCase() });
    expect(anonymous.profile).toMatchObject({
      id: star.id,
      username: star.username,
      followerCount: 1,
      followingCount: 0,
      followedByViewer: false,
      followsViewer: false,
    });
    expect(anonymous.profile).not.toHaveProperty('email');

    const asFan = await svc.profiles.getProfile({ username: star.username }, bearer(fan.accessToken));
    expect(asFan.profile).toMatchObject({ followedByViewer: true, followsViewer: false });
    const asStar = await svc.profiles.getProfile({ username: fan.username }, bearer(star.accessToken));
    expect(asStar.profile).toMatchObject({ followingCount: 1, followedByViewer: false, followsViewer: true });
  });

  it('answers NOT_FOUND for unknown and impossible names, INVALID_ARGUMENT for none', async () => {
    await expectGrpcError(svc.profiles.getProfile({ username: 'no_such_user' }), Status.NOT_FOUND, {
      reason: 'USER_NOT_FOUND',
    });
    await expectGrpcError(svc.profiles.getProfile({ username: "x'; drop table users; --" }), Status.NOT_FOUND);
    await expectGrpcError(svc.profiles.getProfile({ username: 'x'.repeat(100_000) }), Status.NOT_FOUND);
    await expectGrpcError(svc.profiles.getProfile({ username: '' }), Status.INVALID_ARGUMENT, { fields: ['username'] });
  });
});

describe('GetUserSummaries', () => {
  it('finds users by id and by username, leaving unknown ones out', async () => {
    const a = await registerUser(svc, 'suma');
    const b = await registerUser(svc, 'sumb');
    const response = await svc.profiles.getUserSummaries(
      { userIds: [a.id, uuidv7(), a.id], usernames: [b.username.toUpperCase(), 'ghost_user', 'not valid!'] },
      bearer(a.accessToken),
    );
    expect(response.users.map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
    expect(response.users.find((u) => u.id === b.id)).toEqual({
      id: b.id,
      username: b.username,
      displayName: '',
      avatarUrl: '',
    });
    expect((await svc.profiles.getUserSummaries({ userIds: [], usernames: [] }, bearer(a.accessToken))).users).toEqual(
      [],
    );
  });

  it('bounds the batch and checks the ids', async () => {
    const a = await registerUser(svc, 'sumc');
    const ids = Array.from({ length: 101 }, () => uuidv7());
    await expectGrpcError(
      svc.profiles.getUserSummaries({ userIds: ids, usernames: [] }, bearer(a.accessToken)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['user_ids'],
      },
    );
    const names = Array.from({ length: 101 }, (_, i) => `name_${i}`);
    await expectGrpcError(
      svc.profiles.getUserSummaries({ userIds: [], usernames: names }, bearer(a.accessToken)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['usernames'],
      },
    );
    await expectGrpcError(
      svc.profiles.getUserSummaries({ userIds: [a.id, 'not-a-uuid'], usernames: [] }, bearer(a.accessToken)),
      Status.INVALID_ARGUMENT,
      { fields: ['user_ids'] },
    );
    const hundred = await svc.profiles.getUserSummaries(
      { userIds: ids.slice(0, 100), usernames: names.slice(0, 100) },
      bearer(a.accessToken),
    );
    expect(hundred.users).toEqual([]);
  });
});
