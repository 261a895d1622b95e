/** The `Link: rel="next"` header of a keyset page (RFC 8288). */
import type { FastifyRequest } from 'fastify';

/**
 * The absolute URL of the next page: same path, the new cursor, the same limit. The base is
 * PUBLIC_URL when set (what clients see behind a proxy), else the request's own scheme and
 * host (which honour X-Forwarded-* only when TRUST_PROXY is on).
 */
export function nextPageUrl(
  request: FastifyRequest,
  publicUrl: string | undefined,
  page: { cursor: string; limit: number },
): string {
  const base = (publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
  const path = request.url.split('?')[0] ?? '';
  const query = new URLSearchParams({ cursor: page.cursor, limit: String(page.limit) });
  return `${base}${path}?${query}`;
}

export const linkHeader = (url: string, rel: string): string => `<${url}>; rel="${rel}"`;
