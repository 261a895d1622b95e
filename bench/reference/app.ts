/**
 * The reference server's three routes, with Wren's URL shapes and the page shape the bench
 * reads (`{ items, nextCursor }`). Each request checks its token's signature, validates its
 * input and runs its SQL (queries.ts); nothing else. `Idempotency-Key` is ignored.
 */
import type { KeyObject } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type pg from 'pg';
import { createPost, homePage, NO_CURSOR, type PostRow, userPage } from './queries.js';
import { verifyBearer } from './verify-token.js';

/** Wren's outer bound in UTF-16 code units (its gateway's TEXT_MAX_CODE_UNITS). */
export const MAX_TEXT_CODE_UNITS = 2000;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

const httpError = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });

function viewerOf(request: FastifyRequest, publicKey: KeyObject): number {
  const id = verifyBearer(request.headers.authorization, publicKey);
  if (id === undefined) throw httpError(401, 'a valid bearer token is required');
  return id;
}

/** `?limit=&cursor=`: the rows to fetch (limit + 1) and the id to read below. */
function pageQuery(request: FastifyRequest): { limit: number; before: string } {
  const { limit, cursor } = request.query as { limit?: string; cursor?: string };
  const number = limit === undefined ? DEFAULT_LIMIT : Number(limit);
  if (!Number.isInteger(number) || number < 1 || number > MAX_LIMIT) {
    throw httpError(400, `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  // The cursor is the last post id of the previous page: opaque to clients, checked here.
  if (cursor !== undefined && !/^\d{1,18}$/.test(cursor)) throw httpError(400, 'invalid cursor');
  return { limit: number, before: cursor ?? NO_CURSOR };
}

const present = (row: PostRow) => ({ id: row.id, author: row.username, text: row.text, createdAt: row.created_at });

function page(rows: PostRow[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(present), nextCursor: rows.length > limit && last ? last.id : null };
}

export function buildApp(pool: pg.Pool, publicKey: KeyObject): FastifyInstance {
  const app = Fastify({ logger: false });

  app.get('/v1/timelines/home', async (request) => {
    const viewer = viewerOf(request, publicKey);
    const { limit, before } = pageQuery(request);
    return page(await homePage(pool, viewer, before, limit + 1), limit);
  });

  app.get('/v1/users/:username/posts', async (request) => {
    viewerOf(request, publicKey);
    const { limit, before } = pageQuery(request);
    const { username } = request.params as { username: string };
    const rows = await userPage(pool, username, before, limit + 1);
    if (!rows) throw httpError(404, 'no such user');
    return page(rows as PostRow[], limit);
  });

  app.post('/v1/posts', async (request, reply) => {
    const author = viewerOf(request, publicKey);
    const text = (request.body as { text?: unknown } | null | undefined)?.text;
    if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_TEXT_CODE_UNITS) {
      throw httpError(400, `text must be a non-empty string of at most ${MAX_TEXT_CODE_UNITS} code units`);
    }
    const post = await createPost(pool, author, text);
    // A signed token for a user the reference does not hold: as if the account were gone.
    if (!post) throw httpError(401, 'unknown user');
    reply.code(201);
    return present(post);
  });

  return app;
}
