/**
 * The one check every user-authenticated handler makes beyond the token's signature: its
 * session must still be live. Tokens are short-lived but not revocable, so without this a
 * logged-out, password-changed or reuse-revoked session would keep working until expiry.
 */
import { isUuid, requireUser, type UserCaller, unauthenticated, type WrenCallContextExt } from '@wren/platform';
import type { UserServiceContext } from '../context.js';
import { isSessionActive } from '../db/queries/sessions.js';
import { SESSION_ENDED } from '../domain/accounts.js';

export async function activeCaller(ctx: UserServiceContext, context: WrenCallContextExt): Promise<UserCaller> {
  const caller = requireUser(context);
  // The session row belongs to the user by foreign key, so an active session also proves the
  // user still exists.
  const active =
    isUuid(caller.userId) &&
    isUuid(caller.sessionId) &&
    (await isSessionActive(ctx.database.db, caller.userId, caller.sessionId, new Date()));
  if (!active) throw unauthenticated(SESSION_ENDED, 'SESSION_ENDED');
  return caller;
}

/**
 * The viewer on a public method: the caller if the call carried a (signature-checked) token.
 * Only used to personalise an answer, so the session is not looked up.
 */
export function optionalViewer(context: WrenCallContextExt): string | undefined {
  const caller = context.caller;
  return caller?.kind === 'user' && isUuid(caller.userId) ? caller.userId : undefined;
}
