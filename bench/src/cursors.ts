/**
 * Cursors for reading timelines at depth: for a sample of users, walk their home timeline
 * and their own posts with pages of 10, keeping each `nextCursor`, up to 100 items deep.
 * Cursors are opaque to clients, so walking is the only honest way to get them.
 */
import type { ApiClient, Tokens } from './api-client.js';
import { mapConcurrent } from './concurrency.js';
import { usernameOf } from './post-text.js';
import { Prng } from './prng.js';
import { shuffle } from './seed.js';
import { MAX_DEPTH_PAGES, PAGE_SIZE } from './workload.js';

export interface CursorSet {
  walked: number[];
  homeCursors: string[][];
  userCursors: string[][];
  requests: number;
  seconds: number;
}

/** The cursors after 1, 2, … pages of `path`, as far as the timeline goes. */
async function walk(api: ApiClient, token: string, path: string): Promise<{ cursors: string[]; requests: number }> {
  const cursors: string[] = [];
  let requests = 0;
  let cursor: string | null = null;
  while (cursors.length < MAX_DEPTH_PAGES) {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page = await api.page(token, `${path}?limit=${PAGE_SIZE}${query}`);
    requests += 1;
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
    cursors.push(cursor);
  }
  return { cursors, requests };
}

export async function collectCursors(
  api: ApiClient,
  tokens: Tokens[],
  options: { seed: number; sampleSize: number; concurrency: number },
): Promise<CursorSet> {
  const started = performance.now();
  const everyone = Array.from({ length: tokens.length }, (_, id) => id);
  const walked = shuffle(everyone, new Prng(options.seed, 'cursor-sample'))
    .slice(0, Math.min(options.sampleSize, tokens.length))
    .sort((a, b) => a - b);
  const homeCursors: string[][] = Array.from({ length: tokens.length }, () => []);
  const userCursors: string[][] = Array.from({ length: tokens.length }, () => []);
  let requests = 0;
  await mapConcurrent(walked, options.concurrency, async (user) => {
    const token = (tokens[user] as Tokens).accessToken;
    const home = await walk(api, token, '/v1/timelines/home');
    const own = await walk(api, token, `/v1/users/${usernameOf(user)}/posts`);
    homeCursors[user] = home.cursors;
    userCursors[user] = own.cursors;
    requests += home.requests + own.requests;
  });
  return { walked, homeCursors, userCursors, requests, seconds: Math.round(performance.now() - started) / 1000 };
}
