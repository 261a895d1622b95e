/**
 * After the faults, the databases are compared with what the client was told: every
 * acknowledged write exists exactly once (a write the client gave up on, at most once),
 * every notification those writes call for exists exactly once and reached the Web Push
 * receiver of its recipient and the open stream, counters equal the rows they count, and
 * every outbox has been delivered to its end.
 */
import type { ChaosEnvironment } from './environment.js';
import type { ChaosUser, Written } from './load.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface AuditInput {
  env: ChaosEnvironment;
  users: ChaosUser[];
  written: Written;
  /** Users whose Web Push subscription points at the receiver. */
  pushUsers: Set<number>;
  /** The user whose notification stream was watched, and the ids it received. */
  streamed: { user: number; ids: string[] };
}

const check = (name: string, problems: string[], summary: string): Check => ({
  name,
  ok: problems.length === 0,
  detail: problems.length === 0 ? summary : problems.slice(0, 5).join('; '),
});

/** Rows by marker; the markers a write put into its text. */
async function countsByMarker(env: ChaosEnvironment, table: 'posts' | 'comments'): Promise<Map<string, number>> {
  const rows = await env.query<{ marker: string; count: number }>(
    env.databases.posts,
    `SELECT substring(text from 'chaos-[0-9a-f-]+') AS marker, count(*)::int AS count FROM ${table} GROUP BY 1`,
  );
  return new Map(rows.map((row) => [row.marker, row.count]));
}

function createdOnce(name: string, things: Written['posts'] | Written['comments'], rows: Map<string, number>): Check {
  const problems: string[] = [];
  let gaveUp = 0;
  for (const thing of things) {
    const count = rows.get(thing.marker) ?? 0;
    if (thing.acknowledged && count !== 1) problems.push(`${thing.marker} acknowledged, ${count} rows`);
    if (!thing.acknowledged) {
      gaveUp++;
      if (count > 1) problems.push(`${thing.marker} given up, ${count} rows`);
    }
  }
  const known = new Set(things.map((thing) => thing.marker));
  for (const [marker] of rows) if (!known.has(marker)) problems.push(`${marker}: a row nobody wrote`);
  const acked = things.length - gaveUp;
  return check(name, problems, `${acked} acknowledged, each exactly once; ${gaveUp} given up`);
}

type NotificationRow = { id: string; recipient_id: string; type: string; actor_id: string; post_id: string | null };

export async function audit(input: AuditInput): Promise<Check[]> {
  const { env, users, written } = input;
  const checks: Check[] = [];
  const idOf = (index: number) => (users[index] as ChaosUser).id;

  checks.push(createdOnce('posts: acknowledged exactly once', written.posts, await countsByMarker(env, 'posts')));
  checks.push(
    createdOnce('comments: acknowledged exactly once', written.comments, await countsByMarker(env, 'comments')),
  );

  /** Every acknowledged write of a kind has its row; `key` names it as the rows do. */
  const allPresent = <Thing extends { acknowledged: boolean }>(
    name: string,
    things: Thing[],
    rowKeys: string[],
    key: (thing: Thing) => string,
    label: (thing: Thing) => string,
  ): Check => {
    const present = new Set(rowKeys);
    const acknowledged = things.filter((thing) => thing.acknowledged);
    return check(
      name,
      acknowledged.filter((thing) => !present.has(key(thing))).map(label),
      `${acknowledged.length} acknowledged, all present`,
    );
  };
  const likeRows = await env.query<{ post_id: string; user_id: string }>(
    env.databases.posts,
    'SELECT post_id::text, user_id::text FROM post_likes',
  );
  checks.push(
    allPresent(
      'likes: every acknowledged like exists',
      written.likes,
      likeRows.map((row) => `${row.post_id}:${row.user_id}`),
      (l) => `${l.postId}:${idOf(l.by)}`,
      (l) => l.postId,
    ),
  );
  const followRows = await env.query<{ follower_id: string; followee_id: string }>(
    env.databases.users,
    'SELECT follower_id::text, followee_id::text FROM follows',
  );
  checks.push(
    allPresent(
      'follows: every acknowledged follow exists',
      written.follows,
      followRows.map((row) => `${row.follower_id}:${row.followee_id}`),
      (f) => `${idOf(f.follower)}:${idOf(f.followee)}`,
      (f) => `${f.follower}→${f.followee}`,
    ),
  );

  const counters = await env.query<{ what: string; id: string; stored: number; counted: number }>(
    env.databases.posts,
    `SELECT 'like_count' AS what, p.id::text, p.like_count AS stored,
            (SELECT count(*) FROM post_likes l WHERE l.post_id = p.id)::int AS counted FROM posts p
     UNION ALL
     SELECT 'comment_count', p.id::text, p.comment_count,
            (SELECT count(*) FROM comments c WHERE c.post_id = p.id)::int FROM posts p`,
  );
  const userCounters = await env.query<{ what: string; id: string; stored: number; counted: number }>(
    env.databases.users,
    `SELECT 'follower_count' AS what, u.id::text, u.follower_count AS stored,
            (SELECT count(*) FROM follows f WHERE f.followee_id = u.id)::int AS counted FROM users u
     UNION ALL
     SELECT 'following_count', u.id::text, u.following_count,
            (SELECT count(*) FROM follows f WHERE f.follower_id = u.id)::int FROM users u`,
  );
  const wrong = [...counters, ...userCounters].filter((row) => row.stored !== row.counted);
  checks.push(
    check(
      'counters match their rows',
      wrong.map((row) => `${row.what} of ${row.id}: ${row.stored} stored, ${row.counted} rows`),
      `${counters.length + userCounters.length} counters checked`,
    ),
  );

  checks.push(...(await auditNotifications(input, idOf)));

  for (const [producer, url] of [
    ['user-service', env.databases.users],
    ['post-service', env.databases.posts],
  ] as const) {
    const behind = await env.query<{ subscriber: string; pending: number }>(
      url,
      `SELECT c.subscriber, count(o.id)::int AS pending FROM outbox_cursors c
         LEFT JOIN outbox o ON (o.txid, o.id) > (c.last_txid, c.last_id) GROUP BY 1`,
    );
    checks.push(
      check(
        `outbox of ${producer}: every cursor at the end`,
        behind.filter((row) => row.pending > 0).map((row) => `${row.subscriber}: ${row.pending} pending`),
        behind.map((row) => `${row.subscriber} 0 pending`).join(', '),
      ),
    );
  }
  return checks;
}

async function auditNotifications(input: AuditInput, idOf: (index: number) => string): Promise<Check[]> {
  const { env, written } = input;
  // What the writes call for: one notification per action on someone else's things.
  const expected = new Map<string, { required: boolean }>();
  const expect = (key: string, required: boolean) => expected.set(key, { required });
  for (const f of written.follows) expect(`follow:${idOf(f.followee)}:${idOf(f.follower)}:`, f.acknowledged);
  for (const l of written.likes) {
    if (l.by !== l.postAuthor) expect(`like:${idOf(l.postAuthor)}:${idOf(l.by)}:${l.postId}`, l.acknowledged);
  }
  for (const c of written.comments) {
    if (c.by !== c.postAuthor) expect(`comment:${idOf(c.postAuthor)}:${idOf(c.by)}:${c.postId}`, c.acknowledged);
  }
  const rows = await env.query<NotificationRow>(
    env.databases.notifications,
    `SELECT id::text, recipient_id::text, type, actor_id::text, post_id::text FROM notifications`,
  );
  const seen = new Map<string, NotificationRow[]>();
  for (const row of rows) {
    const key = `${row.type}:${row.recipient_id}:${row.actor_id}:${row.type === 'follow' ? '' : row.post_id}`;
    seen.set(key, [...(seen.get(key) ?? []), row]);
  }
  // A comment notification is one per comment: as many as were acknowledged, at most as many
  // as were sent.
  const comments = new Map<string, { acknowledged: number; sent: number }>();
  for (const c of written.comments) {
    if (c.by === c.postAuthor) continue;
    const key = `comment:${idOf(c.postAuthor)}:${idOf(c.by)}:${c.postId}`;
    const tally = comments.get(key) ?? { acknowledged: 0, sent: 0 };
    comments.set(key, { acknowledged: tally.acknowledged + (c.acknowledged ? 1 : 0), sent: tally.sent + 1 });
  }
  const problems: string[] = [];
  for (const [key, { required }] of expected) {
    const count = seen.get(key)?.length ?? 0;
    const tally = comments.get(key);
    const [least, most] = tally ? [tally.acknowledged, tally.sent] : [required ? 1 : 0, 1];
    if (count < least) problems.push(`${key}: ${count} notifications, ${least} owed`);
    if (count > most) problems.push(`${key}: ${count} notifications for ${most} actions`);
  }
  for (const [key, found] of seen) if (!expected.has(key)) problems.push(`${key}: ${found.length} unexpected`);
  const checks: Check[] = [
    check('notifications: each expected one exactly once', problems, `${rows.length} notifications, as expected`),
  ];

  // Web Push: every notification of a subscribed user reached the receiver. Delivery is at
  // least once (a push sent just before a crash is sent again), so repeats are counted, not failed.
  const pushed = new Map<string, number>();
  for (const push of env.receiver.received) {
    const id = String(push.payload.notificationId ?? '');
    pushed.set(id, (pushed.get(id) ?? 0) + 1);
  }
  const pushUserIds = new Set([...input.pushUsers].map(idOf));
  const owed = rows.filter((row) => pushUserIds.has(row.recipient_id));
  const repeats = [...pushed.values()].filter((count) => count > 1).length;
  checks.push(
    check(
      'web push: every notification of a subscribed user reached the receiver',
      owed.filter((row) => !pushed.has(row.id)).map((row) => `${row.type} ${row.id} never pushed`),
      `${owed.length} owed, all received (${repeats} received more than once)`,
    ),
  );

  const streamUser = idOf(input.streamed.user);
  const streamIds = input.streamed.ids;
  const wantedOnStream = rows.filter((row) => row.recipient_id === streamUser).map((row) => row.id);
  const received = new Set(streamIds);
  const streamProblems = wantedOnStream.filter((id) => !received.has(id)).map((id) => `${id} not streamed`);
  if (received.size !== streamIds.length) streamProblems.push(`${streamIds.length - received.size} streamed twice`);
  checks.push(
    check(
      'stream: the watched user got each notification once',
      streamProblems,
      `${wantedOnStream.length} streamed, each once`,
    ),
  );
  return checks;
}
