/**
 * Sessions and their tokens: a session is one login on one device. It holds a chain of
 * refresh tokens, of which only the newest may be used; presenting an older one means the
 * chain was copied, and the whole session is ended.
 */
import type { TokenPair } from '@wren/contracts/user/v1/auth_service.js';
import { type Logger, unauthenticated, uuidv7 } from '@wren/platform';
import type { Kysely } from 'kysely';
import type { UserServiceContext } from '../context.js';
import {
  insertRefreshToken,
  insertSession,
  lockRefreshToken,
  markRefreshTokenSpent,
  revokeSession,
  touchSession,
} from '../db/queries/sessions.js';
import type { UserDatabase } from '../db/schema.js';
import type { SessionOrigin } from './client-info.js';
import { hashRefreshToken, isWellFormedRefreshToken, newRefreshToken } from './refresh-tokens.js';

/** What a new or rotated session hands back, before the access token is signed. */
export interface SessionGrant {
  userId: string;
  sessionId: string;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

function refreshExpiry(ctx: UserServiceContext, now: Date): Date {
  return new Date(now.getTime() + ctx.config.tokens.refreshTokenTtlSeconds * 1000);
}

/** Opens a session for the user; run it in the transaction that proved who they are. */
export async function openSession(
  ctx: UserServiceContext,
  trx: Kysely<UserDatabase>,
  userId: string,
  origin: SessionOrigin,
  now: Date = new Date(),
): Promise<SessionGrant> {
  const sessionId = uuidv7(now.getTime());
  const expiresAt = refreshExpiry(ctx, now);
  const refresh = newRefreshToken();
  await insertSession(trx, { id: sessionId, userId, userAgent: origin.userAgent, ip: origin.ip, now, expiresAt });
  await insertRefreshToken(trx, { hash: refresh.hash, sessionId, now, expiresAt });
  return { userId, sessionId, refreshToken: refresh.token, refreshTokenExpiresAt: expiresAt };
}

/** Signs the access token; called after the session's transaction has committed. */
export async function tokenPair(ctx: UserServiceContext, grant: SessionGrant): Promise<TokenPair> {
  const access = await ctx.tokens.signAccessToken(grant.userId, grant.sessionId);
  return {
    accessToken: access.token,
    expiresIn: access.expiresIn,
    refreshToken: grant.refreshToken,
    refreshTokenExpiresAt: grant.refreshTokenExpiresAt,
  };
}

type RotationOutcome =
  | { kind: 'rotated'; grant: SessionGrant }
  | { kind: 'invalid' }
  | { kind: 'reused'; sessionId: string };

const INVALID_REFRESH_TOKEN = 'refresh token is invalid or expired';

/**
 * Spends a refresh token and issues its successor. A spent token presented again revokes
 * its session; that revocation must commit, so the transaction returns an outcome and the
 * error is raised only after it has ended.
 */
export async function rotateRefreshToken(ctx: UserServiceContext, log: Logger, token: string): Promise<SessionGrant> {
  if (!isWellFormedRefreshToken(token)) throw unauthenticated(INVALID_REFRESH_TOKEN, 'INVALID_REFRESH_TOKEN');
  const hash = hashRefreshToken(token);
  const now = new Date();
  const outcome = await ctx.database.db.transaction().execute(async (trx): Promise<RotationOutcome> => {
    const found = await lockRefreshToken(trx, hash);
    if (!found) return { kind: 'invalid' };
    if (found.spent_at !== null) {
      await revokeSession(trx, found.session_id, 'refresh_token_reuse', now);
      return { kind: 'reused', sessionId: found.session_id };
    }
    const sessionEnded = found.session_revoked_at !== null || found.session_expires_at <= now;
    if (sessionEnded || found.expires_at <= now) return { kind: 'invalid' };

    await markRefreshTokenSpent(trx, hash, now);
    const next = newRefreshToken();
    const expiresAt = refreshExpiry(ctx, now);
    await insertRefreshToken(trx, { hash: next.hash, sessionId: found.session_id, now, expiresAt });
    await touchSession(trx, found.session_id, now, expiresAt);
    return {
      kind: 'rotated',
      grant: {
        userId: found.user_id,
        sessionId: found.session_id,
        refreshToken: next.token,
        refreshTokenExpiresAt: expiresAt,
      },
    };
  });

  if (outcome.kind === 'reused') {
    log.warn({ sessionId: outcome.sessionId }, 'a spent refresh token was presented again; its session is revoked');
    throw unauthenticated('refresh token was already used; the session has been revoked', 'REFRESH_TOKEN_REUSED');
  }
  if (outcome.kind === 'invalid') throw unauthenticated(INVALID_REFRESH_TOKEN, 'INVALID_REFRESH_TOKEN');
  return outcome.grant;
}
