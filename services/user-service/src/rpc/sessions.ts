import type { AuthServiceImplementation } from '@wren/contracts/user/v1/auth_service.js';
import { invalidArgument, isUuid, notFound, type WrenCallContextExt } from '@wren/platform';
import type { UserServiceContext } from '../context.js';
import { listActiveSessions, revokeOwnSession } from '../db/queries/sessions.js';
import { activeCaller } from './active-caller.js';
import { toSession } from './mappers.js';

/** The proto promises at most this many; older sessions beyond it are still active, just not listed. */
const MAX_LISTED_SESSIONS = 100;

export function sessionsRpc(
  ctx: UserServiceContext,
): Pick<AuthServiceImplementation<WrenCallContextExt>, 'listSessions' | 'revokeSession'> {
  return {
    async listSessions(_request, context) {
      const caller = await activeCaller(ctx, context);
      const rows = await listActiveSessions(ctx.database.db, caller.userId, new Date(), MAX_LISTED_SESSIONS);
      return { sessions: rows.map((row) => toSession(row, caller.sessionId)) };
    },

    async revokeSession(request, context) {
      const caller = await activeCaller(ctx, context);
      if (!isUuid(request.sessionId)) {
        throw invalidArgument({ field: 'session_id', description: 'must be a session id (UUID)' });
      }
      // Someone else's session answers exactly like a missing one, so ids cannot be probed.
      const revoked = await revokeOwnSession(
        ctx.database.db,
        caller.userId,
        request.sessionId,
        'revoked_by_user',
        new Date(),
      );
      if (!revoked) throw notFound('session not found', 'SESSION_NOT_FOUND');
      return {};
    },
  };
}
