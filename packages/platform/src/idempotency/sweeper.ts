/** Removes expired idempotency keys in batches, so the table holds about a day of keys. */
import { type Kysely, sql } from 'kysely';
import type { Logger } from '../logger.js';

const BATCH = 1000;

/** One sweep; returns how many keys went. */
export async function purgeExpiredIdempotencyKeys<DB>(db: Kysely<DB>): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await sql`
      DELETE FROM idempotency_keys WHERE ctid IN (
        SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT ${BATCH}
      )
    `.execute(db);
    const deleted = Number(result.numAffectedRows ?? 0n);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}

/** Deletes the keys of one user (account deletion: stored responses hold their content). */
export async function deleteIdempotencyKeysOf<DB>(db: Kysely<DB>, userId: string): Promise<void> {
  await sql`DELETE FROM idempotency_keys WHERE user_id = ${userId}`.execute(db);
}

export interface IdempotencySweeper {
  stop(): Promise<void>;
}

export function startIdempotencySweeper<DB>(db: Kysely<DB>, log: Logger, intervalMs: number): IdempotencySweeper {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = purgeExpiredIdempotencyKeys(db).then(
      (deleted) => {
        if (deleted > 0) log.info({ deleted }, 'purged expired idempotency keys');
      },
      (error: unknown) => log.warn({ err: error }, 'idempotency key purge failed; will retry'),
    );
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
