/**
 * Two users following (and unfollowing) each other at the same moment: both succeed and the
 * counts stay right. The counting trigger updates the follower's row, then the followee's;
 * without locking both rows in one order first, the two transactions lock them in opposite
 * orders and PostgreSQL aborts one as a deadlock (a 500 for that user).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, registerUser, startTestService, type TestService } from './helpers.js';

let svc: TestService;

beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.stop();
});

it('mutual follows and unfollows at once never deadlock, and the counts match', async () => {
  const pairs = await Promise.all(
    Array.from({ length: 4 }, async (_, i) => [await registerUser(svc, `ra${i}`), await registerUser(svc, `rb${i}`)]),
  );
  for (let round = 0; round < 5; round++) {
    for (const change of ['follow', 'unfollow'] as const) {
      await Promise.all(
        pairs.flatMap(([a, b]) =>
          a && b
            ? [
                svc.follows[change]({ username: b.username }, bearer(a.accessToken)),
                svc.follows[change]({ username: a.username }, bearer(b.accessToken)),
              ]
            : [],
        ),
      );
    }
  }
  await Promise.all(
    pairs.flatMap(([a, b]) =>
      a && b
        ? [
            svc.follows.follow({ username: b.username }, bearer(a.accessToken)),
            svc.follows.follow({ username: a.username }, bearer(b.accessToken)),
          ]
        : [],
    ),
  );
  for (const user of pairs.flat()) {
    const me = await svc.profiles.getMe({}, bearer(user.accessToken));
    expect(me.account).toMatchObject({ followerCount: 1, followingCount: 1 });
  }
});
