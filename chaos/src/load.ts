/**
 * The steady mixed load: a few workers, each a user doing what users do (post, comment,
 * like, follow, read the home timeline), through the gateway, for as long as the run lasts.
 * It remembers every write that was acknowledged — and every one it gave up on, since that
 * one may or may not have happened — for the audit.
 */
import { randomUUID } from 'node:crypto';
import type { ChaosClient } from './client.js';

export interface ChaosUser {
  index: number;
  id: string;
  username: string;
  token: string;
}

export interface CreatedThing {
  /** Unique text: the audit finds the row by it. */
  marker: string;
  by: number;
  id: string | undefined;
  acknowledged: boolean;
}

export interface Written {
  posts: (CreatedThing & { author: number })[];
  comments: (CreatedThing & { postId: string; postAuthor: number })[];
  likes: { postId: string; postAuthor: number; by: number; acknowledged: boolean }[];
  follows: { follower: number; followee: number; acknowledged: boolean }[];
  timelineReads: number;
}

export interface Load {
  written: Written;
  stop(): Promise<void>;
}

const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

export function startLoad(client: ChaosClient, users: ChaosUser[], options: { pauseMs: number }): Load {
  const written: Written = { posts: [], comments: [], likes: [], follows: [], timelineReads: 0 };
  const liked = new Set<string>();
  const followed = new Set<string>();
  let running = true;

  /**
   * Creates something whose text carries a unique marker (how the audit finds it again),
   * under an Idempotency-Key that the client's retries reuse; records it before sending, so
   * that a write never acknowledged is still audited (it may exist at most once).
   */
  const create = async <Entry extends { id: string | undefined; acknowledged: boolean }>(
    what: string,
    list: Entry[],
    entry: Omit<Entry, 'id' | 'acknowledged'>,
    request: { path: string; token: string; text: string },
  ) => {
    const recorded = { ...entry, id: undefined, acknowledged: false } as Entry;
    list.push(recorded);
    const body = (await client.write(what, {
      method: 'POST',
      path: request.path,
      token: request.token,
      json: { text: request.text },
      idempotencyKey: randomUUID(),
    })) as { id?: string } | undefined;
    recorded.id = body?.id;
    recorded.acknowledged = body !== undefined;
  };
  const post = async (user: ChaosUser) => {
    const marker = `chaos-${randomUUID()}`;
    await create(
      'create post',
      written.posts,
      { marker, by: user.index, author: user.index },
      { path: '/v1/posts', token: user.token, text: `post ${marker}` },
    );
  };
  const comment = async (user: ChaosUser) => {
    const target = pick(written.posts.filter((p) => p.acknowledged && p.id));
    if (!target?.id) return post(user);
    const marker = `chaos-${randomUUID()}`;
    await create(
      'create comment',
      written.comments,
      { marker, by: user.index, postId: target.id, postAuthor: target.author },
      { path: `/v1/posts/${target.id}/comments`, token: user.token, text: `comment ${marker}` },
    );
  };
  const like = async (user: ChaosUser) => {
    const target = pick(written.posts.filter((p) => p.acknowledged && p.id && !liked.has(`${p.id}:${user.index}`)));
    if (!target?.id) return post(user);
    liked.add(`${target.id}:${user.index}`);
    const entry = { postId: target.id, postAuthor: target.author, by: user.index, acknowledged: false };
    written.likes.push(entry);
    // PUT is idempotent: a retry after a lost answer likes once.
    entry.acknowledged =
      (await client.write('like', { method: 'PUT', path: `/v1/posts/${target.id}/like`, token: user.token })) !==
      undefined;
  };
  const follow = async (user: ChaosUser) => {
    const target = pick(users.filter((u) => u !== user && !followed.has(`${user.index}:${u.index}`)));
    if (!target) return like(user);
    followed.add(`${user.index}:${target.index}`);
    const entry = { follower: user.index, followee: target.index, acknowledged: false };
    written.follows.push(entry);
    entry.acknowledged =
      (await client.write('follow', {
        method: 'PUT',
        path: `/v1/users/${target.username}/follow`,
        token: user.token,
      })) !== undefined;
  };
  const readTimeline = async (user: ChaosUser) => {
    written.timelineReads++;
    await client.once('read timeline', { method: 'GET', path: '/v1/timelines/home?limit=20', token: user.token });
  };
  const ops: [number, (user: ChaosUser) => Promise<void>][] = [
    [20, post],
    [20, comment],
    [25, like],
    [10, follow],
    [25, readTimeline],
  ];
  const total = ops.reduce((sum, [weight]) => sum + weight, 0);
  const chooseOp = () => {
    let roll = Math.random() * total;
    for (const [weight, op] of ops) {
      roll -= weight;
      if (roll < 0) return op;
    }
    return readTimeline;
  };

  const worker = async (user: ChaosUser) => {
    while (running) {
      await chooseOp()(user);
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  };
  const workers = users.map(worker);
  return {
    written,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}
