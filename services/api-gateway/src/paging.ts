/** Keyset pages over HTTP: `?cursor=&limit=` in, `nextCursor` and `Link: rel="next"` (RFC 8288) out. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_LIMIT } from './schemas/pages.js';

/**
 * The absolute URL of the next page: same path, the new cursor, the same limit, and the
 * request's other query parameters (a filter such as `parentId`). The base is PUBLIC_URL
 * when set (what clients see behind a proxy), else the request's own scheme and host (which
 * honour X-Forwarded-* only when TRUST_PROXY is on).
 */
export function nextPageUrl(
  request: FastifyRequest,
  publicUrl: string | undefined,
  page: { cursor: string; limit: number },
): string {
  const base = (publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
  const [path = '', search = ''] = request.url.split('?');
  const query = new URLSearchParams({ cursor: page.cursor, limit: String(page.limit) });
  for (const [name, value] of new URLSearchParams(search)) {
    if (name !== 'cursor' && name !== 'limit') query.append(name, value);
  }
  return `${base}${path}?${query}`;
}

export const linkHeader = (url: string, rel: string): string => `<${url}>; rel="${rel}"`;

/** The page size a list request asked for, or the default. */
export const pageLimit = (query: { limit?: number }): number => query.limit ?? DEFAULT_LIMIT;

/**
 * The `nextCursor` of a page from the service's `next_page_token` ("" on the last page),
 * setting the `Link: rel="next"` header when there is a next page.
 */
export function nextCursor(
  request: FastifyRequest,
  reply: FastifyReply,
  publicUrl: string | undefined,
  page: { nextPageToken: string; limit: number },
): string | null {
  if (page.nextPageToken === '') return null;
  const url = nextPageUrl(request, publicUrl, { cursor: page.nextPageToken, limit: page.limit });
  reply.header('link', linkHeader(url, 'next'));
  return page.nextPageToken;
}
