import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDED_SESSION_RETENTION_MS, purgeOldSessions } from '../src/domain/session-janitor.js';
import { registerUser, startTestService, type TestService } from './helpers.js';

let svc: TestService;

beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.stop();
});

describe('session janitor', () => {
  it('deletes sessions that ended over a week ago, with their tokens, and keeps the rest', async () => {
    const now = new Date();
    const longAgo = new Date(now.getTime() - ENDED_SESSION_RETENTION_MS - 60_000);
    const recently = new Date(now.getTime() - 60_000);
    const [revokedLongAgo, expiredLongAgo, revokedRecently, live] = await Promise.all(
      ['purge_a', 'purge_b', 'purge_c', 'purge_d'].map((prefix) => registerUser(svc, prefix)),
    );
    const sessionOf = async (userId: string) =>
      (await svc.db.selectFrom('sessions').select('id').where('user_id', '=', userId).executeTakeFirstOrThrow()).id;
    const ids = {
      revokedLongAgo: await sessionOf(revokedLongAgo?.id ?? ''),
      expiredLongAgo: await sessionOf(expiredLongAgo?.id ?? ''),
      revokedRecently: await sessionOf(revokedRecently?.id ?? ''),
      live: await sessionOf(live?.id ?? ''),
    };
    await svc.db.updateTable('sessions').set({ revoked_at: longAgo }).where('id', '=', ids.revokedLongAgo).execute();
    await svc.db.updateTable('sessions').set({ expires_at: longAgo }).where('id', '=', ids.expiredLongAgo).execute();
    await svc.db.updateTable('sessions').set({ revoked_at: recently }).where('id', '=', ids.revokedRecently).execute();

    expect(await purgeOldSessions(svc.db, now)).toBeGreaterThanOrEqual(2);

    const left = await svc.db.selectFrom('sessions').select('id').where('id', 'in', Object.values(ids)).execute();
    expect(left.map((row) => row.id).sort()).toEqual([ids.revokedRecently, ids.live].sort());
    const orphanTokens = await svc.db
      .selectFrom('refresh_tokens')
      .select('session_id')
      .where('session_id', 'in', [ids.revokedLongAgo, ids.expiredLongAgo])
      .execute();
    expect(orphanTokens).toEqual([]);
  });
});
