/**
 * Removes ended sessions some days after they ended, so that the sessions and
 * refresh-token tables do not grow with every login and refresh forever. The delay keeps
 * recent revocations visible to support ("why was I logged out?"). Revocation records
 * (ListRevokedSessions) go sooner, once no access token of theirs can still be valid.
 */
import type { Logger } from '@wren/platform';
import type { Kysely } from 'kysely';
import { purgeRevocations } from '../db/queries/session-revocations.js';
import { purgeEndedSessions } from '../db/queries/sessions.js';
import type { UserDatabase } from '../db/schema.js';
import { REVOCATION_RETENTION_MS } from './revocations.js';

export const ENDED_SESSION_RETENTION_MS = 7 * 24 * 3600 * 1000;
const BATCH = 1000;

/** One sweep: deletes in batches until nothing old is left; returns how many sessions went. */
export async function purgeOldSessions(db: Kysely<UserDatabase>, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - ENDED_SESSION_RETENTION_MS);
  await purgeRevocations(db, new Date(now.getTime() - REVOCATION_RETENTION_MS));
  let total = 0;
  for (;;) {
    const deleted = await purgeEndedSessions(db, cutoff, BATCH);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}

export interface SessionJanitor {
  stop(): Promise<void>;
}

export function startSessionJanitor(db: Kysely<UserDatabase>, log: Logger, intervalMs: number): SessionJanitor {
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = purgeOldSessions(db).then(
      (deleted) => {
        if (deleted > 0) log.info({ deleted }, 'purged ended sessions');
      },
      (error: unknown) => log.warn({ err: error }, 'session purge failed; will retry'),
    );
  };
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
