/**
 * Seeds a graph through Wren's public API, as DeathStarBench's init_social_graph.py does:
 * every node registers, every edge becomes a follow each way, then each user writes posts.
 * Everything random comes from `--seed`; requests run concurrently, in a shuffled order so
 * that concurrent follows rarely touch the same user's counters.
 */
import type { ApiClient, Tokens } from './api-client.js';
import { mapConcurrent } from './concurrency.js';
import { followsOf, type SocialGraph } from './graph.js';
import { BODY_CHARS, postText, usernameOf } from './post-text.js';
import { Prng } from './prng.js';
import { type ProcessGroup, ProcessMeter, wholeMachine } from './proc-stats.js';

export const passwordOf = (id: number): string => `password_${id}`;

export interface PhaseTiming {
  seconds: number;
  requests: number;
  per_second: number;
  /** Cores each process used during the phase: where seeding time goes. */
  cores?: Record<string, number>;
}

export interface SeedOptions {
  seed: number;
  /** Posts per user are drawn uniformly from this range (DeathStarBench: 0–20, about 10 on average). */
  postsPerUser: { min: number; max: number };
  concurrency: number;
  /** Waits until the services have applied every event (timelines read the replicated follows). */
  settle: () => Promise<unknown>;
  /** Processes whose CPU is reported per phase (may be empty). */
  groups: ProcessGroup[];
  log: (line: string) => void;
}

export interface TextStats {
  posts: number;
  mean_chars: number;
  mean_mentions: number;
  mean_urls_drawn: number;
  mean_urls_kept: number;
  /** Share of texts whose 256-character body had to be shortened to fit 500. */
  body_shortened: number;
  /** Share of texts that lost URLs as well. */
  urls_dropped: number;
}

export interface SeedResult {
  tokens: Tokens[];
  /** When the access tokens were obtained (performance.now()). */
  tokensAt: number;
  /** Every user already existed: a Wren seeded before (--target); follows and posts were not redone. */
  reused: boolean;
  phases: Record<string, PhaseTiming>;
  follows: number;
  text: TextStats;
}

export function shuffle<T>(items: T[], prng: Prng): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = prng.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

async function timed(groups: ProcessGroup[], requests: number, work: () => Promise<unknown>): Promise<PhaseTiming> {
  const meter = new ProcessMeter([...groups, wholeMachine]);
  meter.begin();
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const cores = Object.fromEntries(Object.entries(meter.end()).map(([name, usage]) => [name, usage.cores]));
  const timing = {
    seconds: Math.round(seconds * 10) / 10,
    requests,
    per_second: seconds > 0 ? Math.round(requests / seconds) : 0,
  };
  return { ...timing, cores };
}

/** The posts of the whole graph, drawn in node order so concurrency never changes them. */
export function plannedPosts(graph: SocialGraph, options: Pick<SeedOptions, 'seed' | 'postsPerUser'>) {
  const prng = new Prng(options.seed, 'posts');
  const posts: Array<{ author: number; text: string; key: string }> = [];
  const stats = { chars: 0, mentions: 0, drawn: 0, kept: 0, shortened: 0, dropped: 0 };
  for (let author = 0; author < graph.userCount; author += 1) {
    const count = prng.int(options.postsPerUser.min, options.postsPerUser.max);
    for (let k = 0; k < count; k += 1) {
      const post = postText(prng, author, graph.userCount);
      posts.push({ author, text: post.text, key: `seed-${options.seed}-${author}-${k}` });
      stats.chars += post.text.length;
      stats.mentions += post.mentions.length;
      stats.drawn += post.urlsDrawn;
      stats.kept += post.urlsKept;
      if (post.bodyLength < BODY_CHARS) stats.shortened += 1;
      if (post.urlsKept < post.urlsDrawn) stats.dropped += 1;
    }
  }
  const n = Math.max(1, posts.length);
  const mean = (value: number) => Math.round((value / n) * 100) / 100;
  const text: TextStats = {
    posts: posts.length,
    mean_chars: mean(stats.chars),
    mean_mentions: mean(stats.mentions),
    mean_urls_drawn: mean(stats.drawn),
    mean_urls_kept: mean(stats.kept),
    body_shortened: mean(stats.shortened),
    urls_dropped: mean(stats.dropped),
  };
  return { posts, text };
}

export async function seedGraph(api: ApiClient, graph: SocialGraph, options: SeedOptions): Promise<SeedResult> {
  const { concurrency, log, groups } = options;
  const phases: Record<string, PhaseTiming> = {};
  const ids = Array.from({ length: graph.userCount }, (_, id) => id);

  log(`registering ${graph.userCount} users`);
  let existing = 0;
  let tokens: Tokens[] = [];
  phases.register = await timed(groups, graph.userCount, async () => {
    tokens = await mapConcurrent(ids, concurrency, async (id) => {
      const answer = await api.registerOrLogin(usernameOf(id), passwordOf(id));
      if (answer.existed) existing += 1;
      return answer.tokens;
    });
  });
  const tokensAt = performance.now();
  const { posts, text } = plannedPosts(graph, options);
  const follows = followsOf(graph);
  const reused = existing === graph.userCount;
  if (reused) {
    log('every user already existed: keeping their follows and posts');
    return { tokens, tokensAt, reused, phases, follows: follows.length, text };
  }

  shuffle(follows, new Prng(options.seed, 'follow-order'));
  log(`following: ${follows.length} follows`);
  phases.follow = await timed(groups, follows.length, () =>
    mapConcurrent(follows, concurrency, ([follower, followee]) =>
      api.follow((tokens[follower] as Tokens).accessToken, usernameOf(followee)),
    ),
  );

  // Posting needs only the authors replica (registrations come first in the event order),
  // so it runs while the services are still applying the follow events.
  log(`posting: ${posts.length} posts (${text.mean_chars} characters on average)`);
  shuffle(posts, new Prng(options.seed, 'post-order'));
  phases.post = await timed(groups, posts.length, () =>
    mapConcurrent(posts, concurrency, (post) =>
      api.post((tokens[post.author] as Tokens).accessToken, post.text, post.key),
    ),
  );
  log('waiting until the services have applied every event');
  phases.events = await timed(groups, 0, options.settle);
  return { tokens, tokensAt, reused, phases, follows: follows.length, text };
}
