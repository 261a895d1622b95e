/**
 * The chaos audit finds what it is there to find: given databases that disagree with what
 * the client was told (a doubled post, a lost like, a counter off by one, a notification
 * twice, a push never sent, an outbox not drained), each check fails and says why.
 */
import { expect, test } from 'vitest';
import { audit } from '../src/audit.js';
import type { ChaosEnvironment } from '../src/environment.js';
import type { ChaosUser, Written } from '../src/load.js';

const users: ChaosUser[] = [
  { index: 0, id: 'u0', username: 'a', token: '' },
  { index: 1, id: 'u1', username: 'b', token: '' },
];
const databases = { users: 'users', posts: 'posts', notifications: 'notifications' };

const written = (): Written => ({
  posts: [{ marker: 'chaos-p1', by: 0, author: 0, id: 'p1', acknowledged: true }],
  comments: [],
  likes: [{ postId: 'p1', postAuthor: 0, by: 1, acknowledged: true }],
  follows: [{ follower: 1, followee: 0, acknowledged: true }],
  timelineReads: 0,
});

/** Rows that agree with `written()`: the audit passes on them. */
function healthyRows(): Record<string, unknown[]> {
  // The first fragment a query contains picks its rows: the counter queries first, as they
  // also name the tables counted.
  return {
    "'like_count'": [{ what: 'like_count', id: 'p1', stored: 1, counted: 1 }],
    "'follower_count'": [{ what: 'follower_count', id: 'u0', stored: 1, counted: 1 }],
    'FROM posts GROUP BY': [{ marker: 'chaos-p1', count: 1 }],
    'FROM comments GROUP BY': [],
    'FROM post_likes': [{ post_id: 'p1', user_id: 'u1' }],
    'FROM follows': [{ follower_id: 'u1', followee_id: 'u0' }],
    'FROM notifications': [
      { id: 'n1', recipient_id: 'u0', type: 'follow', actor_id: 'u1', post_id: null },
      { id: 'n2', recipient_id: 'u0', type: 'like', actor_id: 'u1', post_id: 'p1' },
    ],
    outbox_cursors: [{ subscriber: 'notification-service', pending: 0 }],
  };
}

function environment(rows: Record<string, unknown[]>, pushed: string[]): ChaosEnvironment {
  return {
    databases,
    receiver: { received: pushed.map((notificationId) => ({ payload: { notificationId } })) },
    async query(_url: string, text: string) {
      const key = Object.keys(rows).find((fragment) => text.includes(fragment));
      if (!key) throw new Error(`unexpected query: ${text}`);
      return rows[key];
    },
  } as unknown as ChaosEnvironment;
}

async function failures(rows: Record<string, unknown[]>, pushed = ['n1', 'n2']): Promise<string[]> {
  const checks = await audit({
    env: environment(rows, pushed),
    users,
    written: written(),
    pushUsers: new Set([0]),
    streamed: { user: 0, ids: ['n1', 'n2'] },
  });
  return checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.detail}`);
}

test('databases that agree with the client pass', async () => {
  expect(await failures(healthyRows())).toEqual([]);
});

test('each disagreement fails its own check', async () => {
  const doubled = { ...healthyRows(), 'FROM posts GROUP BY': [{ marker: 'chaos-p1', count: 2 }] };
  expect(await failures(doubled)).toEqual([expect.stringMatching(/^posts.*chaos-p1 acknowledged, 2 rows/)]);

  const lostLike = { ...healthyRows(), 'FROM post_likes': [] };
  expect((await failures(lostLike))[0]).toMatch(/^likes/);

  const offCounter = { ...healthyRows(), "'like_count'": [{ what: 'like_count', id: 'p1', stored: 2, counted: 1 }] };
  expect(await failures(offCounter)).toEqual([expect.stringMatching(/^counters.*like_count of p1: 2 stored, 1 rows/)]);

  const rows = healthyRows();
  const twice = {
    ...rows,
    'FROM notifications': [
      ...(rows['FROM notifications'] ?? []),
      { ...(rows['FROM notifications']?.[1] as object), id: 'n3' },
    ],
  };
  expect((await failures(twice, ['n1', 'n2', 'n3'])).join('\n')).toMatch(
    /notifications.*2 notifications for 1 actions/,
  );

  expect(await failures(healthyRows(), ['n1'])).toEqual([expect.stringMatching(/^web push.*n2 never pushed/)]);

  const behind = { ...healthyRows(), outbox_cursors: [{ subscriber: 'notification-service', pending: 3 }] };
  expect(await failures(behind)).toEqual([
    expect.stringMatching(/^outbox of user-service.*3 pending/),
    expect.stringMatching(/^outbox of post-service.*3 pending/),
  ]);
});
