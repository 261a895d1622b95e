/**
 * What the load generator sends: DeathStarBench's socialNetwork mix (60% home-timeline
 * reads, 30% user-timeline reads, 10% compose-post), or one kind alone. Each request is
 * made by a random user of the graph with their access token; timeline reads ask for a
 * page of 10 at a random depth of 0–100 posts (0–10 pages), using cursors collected by
 * walking the timelines before the run (see cursors.ts).
 */

import type { RequestSpec } from './http-request.js';
import { postText, usernameOf } from './post-text.js';
import type { Prng } from './prng.js';

export type RequestKind = 'home' | 'user' | 'compose';
export const WORKLOAD_NAMES = ['mixed', 'home', 'user', 'compose'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/** Weights in percent. */
export const MIXES: Record<WorkloadName, Partial<Record<RequestKind, number>>> = {
  mixed: { home: 60, user: 30, compose: 10 },
  home: { home: 100 },
  user: { user: 100 },
  compose: { compose: 100 },
};

export const PAGE_SIZE = 10;
export const MAX_DEPTH_PAGES = 10;

export interface WorkloadData {
  userCount: number;
  /** Access token of each node id. */
  tokens: string[];
  /**
   * Cursors of the users whose timelines were walked: homeCursors[u][k] is the cursor after
   * k+1 pages of u's home timeline; userCursors[u][k] the same of u's own posts. Empty for
   * users outside the walked sample.
   */
  homeCursors: string[][];
  userCursors: string[][];
  /** The node ids that have cursors: deeper pages are read as one of them. */
  walked: number[];
}

export function pickKind(prng: Prng, mix: Partial<Record<RequestKind, number>>): RequestKind {
  const entries = Object.entries(mix) as Array<[RequestKind, number]>;
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = prng.next() * total;
  for (const [kind, weight] of entries) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return (entries[entries.length - 1] as [RequestKind, number])[0];
}

/**
 * A page at a random depth: 0 pages deep is anyone's first page; deeper pages are read by
 * a walked user, at the deepest page their timeline has that is not deeper than the roll.
 */
function pageOf(prng: Prng, data: WorkloadData, cursorsOf: string[][]): { user: number; cursor?: string } {
  const depth = prng.int(0, MAX_DEPTH_PAGES);
  if (depth === 0 || data.walked.length === 0) return { user: prng.int(0, data.userCount - 1) };
  const user = prng.pick(data.walked);
  const cursors = cursorsOf[user] ?? [];
  const cursor = cursors[Math.min(depth, cursors.length) - 1];
  return cursor === undefined ? { user } : { user, cursor };
}

const pageQuery = (cursor: string | undefined) =>
  cursor === undefined ? `?limit=${PAGE_SIZE}` : `?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(cursor)}`;

const bearer = (data: WorkloadData, user: number) => ({ authorization: `Bearer ${data.tokens[user]}` });

/** The request of one kind; `key` makes compose idempotency keys unique across steps. */
export function buildRequest(prng: Prng, kind: RequestKind, data: WorkloadData, key: string): RequestSpec {
  switch (kind) {
    case 'home': {
      const { user, cursor } = pageOf(prng, data, data.homeCursors);
      return { method: 'GET', path: `/v1/timelines/home${pageQuery(cursor)}`, headers: bearer(data, user) };
    }
    case 'user': {
      const viewer = prng.int(0, data.userCount - 1);
      const { user: author, cursor } = pageOf(prng, data, data.userCursors);
      return {
        method: 'GET',
        path: `/v1/users/${usernameOf(author)}/posts${pageQuery(cursor)}`,
        headers: bearer(data, viewer),
      };
    }
    case 'compose': {
      const author = prng.int(0, data.userCount - 1);
      const { text } = postText(prng, author, data.userCount);
      return {
        method: 'POST',
        path: '/v1/posts',
        headers: { ...bearer(data, author), 'idempotency-key': key },
        body: JSON.stringify({ text }),
      };
    }
  }
}
