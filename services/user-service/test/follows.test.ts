import type { FollowEntry } from '@wren/contracts/user/v1/follow_service.js';
import { encodeCursor, Status, uuidv7 } from '@wren/platform';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, expectGrpcError, registerUser, startTestService, type TestService, type TestUser } from './helpers.js';

let svc: TestService;

beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.stop();
});

describe('Follow and Unfollow', () => {
  it('are idempotent and keep the counts right', async () => {
    const alice = await registerUser(svc, 'fa');
    const bob = await registerUser(svc, 'fb');
    const first = await svc.follows.follow({ username: bob.username.toUpperCase() }, bearer(alice.accessToken));
    expect(first.profile).toMatchObject({
      id: bob.id,
      followerCount: 1,
      followingCount: 0,
      followedByViewer: true,
      followsViewer: false,
    });
    const second = await svc.follows.follow({ username: bob.username }, bearer(alice.accessToken));
    expect(second.profile).toMatchObject({ followerCount: 1, followedByViewer: true });
    expect((await svc.profiles.getMe({}, bearer(alice.accessToken))).account?.followingCount).toBe(1);

    const back = await svc.follows.follow({ username: alice.username }, bearer(bob.accessToken));
    expect(back.profile).toMatchObject({
      id: alice.id,
      followerCount: 1,
      followingCount: 1,
      followedByViewer: true,
      followsViewer: true,
    });

    const gone = await svc.follows.unfollow({ username: bob.username }, bearer(alice.accessToken));
    expect(gone.profile).toMatchObject({
      followerCount: 0,
      followingCount: 1,
      followedByViewer: false,
      followsViewer: true,
    });
    const again = await svc.follows.unfollow({ username: bob.username }, bearer(alice.accessToken));
    expect(again.profile).toMatchObject({ followerCount: 0, followedByViewer: false });
    expect((await svc.profiles.getMe({}, bearer(alice.accessToken))).account).toMatchObject({
      followingCount: 0,
      followerCount: 1,
    });
  });

  it('refuses following yourself and unknown users', async () => {
    const carol = await registerUser(svc, 'fc');
    await expectGrpcError(
      svc.follows.follow({ username: carol.username.toUpperCase() }, bearer(carol.accessToken)),
      Status.INVALID_ARGUMENT,
      {
        fields: ['username'],
        message: 'username: cannot follow yourself',
      },
    );
    await expectGrpcError(
      svc.follows.follow({ username: 'nobody_at_all' }, bearer(carol.accessToken)),
      Status.NOT_FOUND,
    );
    await expectGrpcError(
      svc.follows.unfollow({ username: 'nobody_at_all' }, bearer(carol.accessToken)),
      Status.NOT_FOUND,
    );
    const self = await svc.follows.unfollow({ username: carol.username }, bearer(carol.accessToken));
    expect(self.profile).toMatchObject({ followerCount: 0, followingCount: 0 });
  });
});

describe('ListFollowers and ListFollowing', () => {
  let star: TestUser;
  let fans: TestUser[];

  beforeAll(async () => {
    star = await registerUser(svc, 'lstar');
    fans = [];
    for (let i = 0; i < 7; i++) fans.push(await registerUser(svc, `lf${i}`));
    for (const fan of fans) {
      await svc.follows.follow({ username: star.username }, bearer(fan.accessToken));
      await svc.follows.follow({ username: fan.username }, bearer(star.accessToken));
    }
    // Five follows in the same millisecond: the page boundary must fall inside the tie.
    const tie = new Date('2026-01-02T03:04:05.678Z');
    const tied = fans.slice(1, 6).map((fan) => fan.id);
    // created_at is read-only in the schema types, on purpose; a test may still arrange it.
    await sql`UPDATE follows SET created_at = ${tie} WHERE followee_id = ${star.id} AND follower_id = ANY(${tied})`.execute(
      svc.db,
    );
    await sql`UPDATE follows SET created_at = ${tie} WHERE follower_id = ${star.id} AND followee_id = ANY(${tied})`.execute(
      svc.db,
    );
  });

  async function allPages(list: 'listFollowers' | 'listFollowing', pageSize: number, token?: string) {
    const entries: FollowEntry[] = [];
    const pages: number[] = [];
    let pageToken = '';
    do {
      const call = svc.follows[list](
        { username: star.username, pageSize, pageToken },
        token ? bearer(token) : undefined,
      );
      const page = await call;
      entries.push(...page.entries);
      pages.push(page.entries.length);
      pageToken = page.nextPageToken;
    } while (pageToken !== '' && pages.length < 20);
    return { entries, pages };
  }

  /** Newest first, ties broken by user id descending: the order the pages must follow. */
  function expectedOrder(column: 'follower_id' | 'followee_id', other: 'follower_id' | 'followee_id') {
    return svc.db
      .selectFrom('follows')
      .select(['created_at', other])
      .where(column, '=', star.id)
      .orderBy('created_at', 'desc')
      .orderBy(other, 'desc')
      .execute();
  }

  it('pages through followers across equal timestamps without skipping or repeating', async () => {
    const expected = (await expectedOrder('followee_id', 'follower_id')).map((row) => row.follower_id);
    expect(expected).toHaveLength(7);
    for (const size of [1, 2, 3]) {
      const { entries, pages } = await allPages('listFollowers', size);
      expect(entries.map((e) => e.user?.id)).toEqual(expected);
      expect(pages.every((n) => n <= size)).toBe(true);
    }
    const { entries } = await allPages('listFollowers', 0);
    expect(entries).toHaveLength(7);
    const tied = entries.filter((e) => e.followedAt?.toISOString() === '2026-01-02T03:04:05.678Z');
    expect(tied).toHaveLength(5);
  });

  it('stores follow times at millisecond precision, so cursors compare exactly', async () => {
    // A cursor carries created_at through a JS Date (milliseconds). With microseconds stored,
    // a row a few microseconds after the last one shown would fall between the cursor and
    // itself and be skipped; the schema rules such values out.
    const fractions = await sql<{ us: number }>`
      SELECT (extract(microseconds FROM created_at)::int % 1000) AS us FROM follows`.execute(svc.db);
    expect(fractions.rows.length).toBeGreaterThan(0);
    expect(fractions.rows.every((row) => row.us === 0)).toBe(true);
    await expect(
      sql`UPDATE follows SET created_at = '2026-01-02T03:04:05.678901Z' WHERE followee_id = ${star.id}`.execute(svc.db),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('pages through following the same way, with or without a viewer', async () => {
    const expected = (await expectedOrder('follower_id', 'followee_id')).map((row) => row.followee_id);
    const anonymous = await allPages('listFollowing', 2);
    expect(anonymous.entries.map((e) => e.user?.id)).toEqual(expected);
    expect(anonymous.pages).toEqual([2, 2, 2, 1]);
    const asFan = await allPages('listFollowing', 4, fans[0]?.accessToken);
    expect(asFan.entries.map((e) => e.user?.id)).toEqual(expected);
    expect(anonymous.entries[0]?.user).toMatchObject({ username: expect.stringMatching(/^lf\d_/), displayName: '' });
  });

  it('refuses bad page tokens and page sizes, and unknown users', async () => {
    const call = (pageSize: number, pageToken: string, username = star.username) =>
      svc.follows.listFollowers({ username, pageSize, pageToken });
    await expectGrpcError(call(10, 'garbage!!'), Status.INVALID_ARGUMENT, { fields: ['page_token'] });
    await expectGrpcError(call(10, encodeCursor(['yesterday', uuidv7()])), Status.INVALID_ARGUMENT, {
      fields: ['page_token'],
    });
    await expectGrpcError(call(10, encodeCursor(['2026-01-02T03:04:05.678Z', 'nope'])), Status.INVALID_ARGUMENT, {
      fields: ['page_token'],
    });
    await expectGrpcError(call(10, encodeCursor([1, 2])), Status.INVALID_ARGUMENT, { fields: ['page_token'] });
    await expectGrpcError(call(101, ''), Status.INVALID_ARGUMENT, { fields: ['page_size'] });
    await expectGrpcError(call(-1, ''), Status.INVALID_ARGUMENT, { fields: ['page_size'] });
    await expectGrpcError(call(10, '', 'nobody_at_all'), Status.NOT_FOUND);
    const last = await call(100, encodeCursor(['2000-01-01T00:00:00.000Z', uuidv7()]));
    expect(last).toEqual({ entries: [], nextPageToken: '' });
  });
});

describe('CheckFollows', () => {
  it('answers for the caller only, preserving the order asked', async () => {
    const me = await registerUser(svc, 'ca');
    const x = await registerUser(svc, 'cx');
    const y = await registerUser(svc, 'cy');
    await svc.follows.follow({ username: y.username }, bearer(me.accessToken));
    await svc.follows.follow({ username: x.username }, bearer(me.accessToken));

    const answer = await svc.follows.checkFollows(
      { followerId: me.id, followeeIds: [y.id, uuidv7(), me.id, x.id, y.id] },
      bearer(me.accessToken),
    );
    expect(answer.followedIds).toEqual([y.id, x.id]);

    await expectGrpcError(
      svc.follows.checkFollows({ followerId: x.id, followeeIds: [y.id] }, bearer(me.accessToken)),
      Status.PERMISSION_DENIED,
    );
    await expectGrpcError(
      svc.follows.checkFollows({ followerId: 'me', followeeIds: ['x'] }, bearer(me.accessToken)),
      Status.INVALID_ARGUMENT,
      { fields: ['follower_id', 'followee_ids'] },
    );
    const tooMany = Array.from({ length: 1001 }, () => uuidv7());
    await expectGrpcError(
      svc.follows.checkFollows({ followerId: me.id, followeeIds: tooMany }, bearer(me.accessToken)),
      Status.INVALID_ARGUMENT,
      { fields: ['followee_ids'] },
    );
    const thousand = await svc.follows.checkFollows(
      { followerId: me.id, followeeIds: [...tooMany.slice(0, 999), x.id] },
      bearer(me.accessToken),
    );
    expect(thousand.followedIds).toEqual([x.id]);
    await expectGrpcError(svc.follows.checkFollows({ followerId: me.id, followeeIds: [] }), Status.UNAUTHENTICATED);
  });
});
