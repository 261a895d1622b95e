/**
 * Ended sessions, for the gateway and the services, which verify access tokens locally and
 * would otherwise accept a revoked session's token until it expires.
 *
 * Public on purpose: the gateway has no service credential, and what is returned is only
 * the ids of sessions that can never be used again — no user, no token, nothing that lets
 * anyone act. The method is reachable on the internal gRPC port only; the gateway does not
 * expose it.
 */
import type { AuthServiceImplementation } from '@wren/contracts/user/v1/auth_service.js';
import { decodeCursor, encodeCursor, invalidArgument, isUuid, type WrenCallContextExt } from '@wren/platform';
import type { UserServiceContext } from '../context.js';
import { listRevocationsAfter } from '../db/queries/session-revocations.js';
import { revocationWindowMs } from '../domain/revocations.js';

const DEFAULT_PAGE = 500;
const MAX_PAGE = 1000;
const START = { txid: '0', sessionId: '00000000-0000-0000-0000-000000000000' };

function readCursor(cursor: string): { txid: string; sessionId: string } {
  const decoded = decodeCursor<[string, string]>(cursor, ['string', 'string'], 'cursor');
  if (!decoded) return START;
  const [txid, sessionId] = decoded;
  if (!/^\d{1,20}$/.test(txid) || !isUuid(sessionId)) {
    throw invalidArgument({ field: 'cursor', description: 'is not a valid cursor' });
  }
  return { txid, sessionId };
}

export function revocationsRpc(
  ctx: UserServiceContext,
): Pick<AuthServiceImplementation<WrenCallContextExt>, 'listRevokedSessions'> {
  return {
    async listRevokedSessions(request) {
      const size = request.pageSize === 0 ? DEFAULT_PAGE : request.pageSize;
      if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
        throw invalidArgument({ field: 'page_size', description: `must be between 1 and ${MAX_PAGE}` });
      }
      const after = readCursor(request.cursor);
      const windowMs = revocationWindowMs(ctx.config.tokens.accessTokenTtlSeconds);
      const rows = await listRevocationsAfter(ctx.database.db, after, new Date(Date.now() - windowMs), size);
      const last = rows.at(-1);
      return {
        sessions: rows.map((row) => ({
          sessionId: row.session_id,
          forgetAfter: new Date(row.revoked_at.getTime() + windowMs),
        })),
        nextCursor: encodeCursor(last ? [last.txid, last.session_id] : [after.txid, after.sessionId]),
        more: rows.length === size,
      };
    },
  };
}
