/**
 * ListRevokedSessions: what the gateway and the other services poll to refuse the access
 * tokens of ended sessions. Every way a session ends is reported, a process that starts
 * late learns earlier revocations, and a revocation that commits late is never skipped.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerUser, startTestService, type TestService } from './helpers.js';

let svc: TestService;

beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc.stop();
});

/** Every revocation after `cursor`, paging until the end; returns them and the last cursor. */
async function drain(cursor: string): Promise<{ ids: string[]; forgetAfter: Map<string, Date>; cursor: string }> {
  const ids: string[] = [];
  const forgetAfter = new Map<string, Date>();
  for (;;) {
    const page = await svc.auth.listRevokedSessions({ cursor, pageSize: 2 });
    for (const session of page.sessions) {
      ids.push(session.sessionId);
      if (session.forgetAfter) forgetAfter.set(session.sessionId, session.forgetAfter);
    }
    cursor = page.nextCursor;
    if (!page.more) return { ids, forgetAfter, cursor };
  }
}

async function sessionOf(userId: string): Promise<string> {
  const row = await svc.db.selectFrom('sessions').select('id').where('user_id', '=', userId).executeTakeFirstOrThrow();
  return row.id;
}

describe('ListRevokedSessions', () => {
  it('reports logouts, revocations and deleted accounts to a caller starting from nothing, until their tokens expire', async () => {
    const [leaver, deleter, stayer] = await Promise.all([
      registerUser(svc, 'rs_leaver'),
      registerUser(svc, 'rs_deleter'),
      registerUser(svc, 'rs_stayer'),
    ]);
    const sessions = {
      leaver: await sessionOf(leaver.id),
      deleter: await sessionOf(deleter.id),
      stayer: await sessionOf(stayer.id),
    };
    const before = Date.now();
    await svc.auth.logout({}, bearer(leaver.accessToken));
    await svc.auth.deleteAccount({ password: deleter.password }, bearer(deleter.accessToken));

    const { ids, forgetAfter } = await drain('');
    expect(ids).toEqual(expect.arrayContaining([sessions.leaver, sessions.deleter]));
    expect(ids).not.toContain(sessions.stayer);
    // Kept for the access-token lifetime (15 min in tests too) plus the skew margin.
    const until = forgetAfter.get(sessions.leaver)?.getTime() ?? 0;
    expect(until).toBeGreaterThan(before + 15 * 60_000);
    expect(until).toBeLessThan(Date.now() + 17 * 60_000);
  });

  it('does not skip a revocation whose transaction commits after a later one', async () => {
    const [slow, fast] = await Promise.all([registerUser(svc, 'rs_slow'), registerUser(svc, 'rs_fast')]);
    const slowSession = await sessionOf(slow.id);
    const fastSession = await sessionOf(fast.id);
    const { cursor } = await drain('');

    await svc.db.connection().execute(async (connection) => {
      // The slow revocation's transaction starts first (smaller txid) and stays open…
      await sql`BEGIN`.execute(connection);
      await connection.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', slowSession).execute();
      // …while the fast one commits.
      await svc.auth.logout({}, bearer(fast.accessToken));
      const meanwhile = await drain(cursor);
      expect(meanwhile.ids).not.toContain(slowSession);
      await sql`COMMIT`.execute(connection);
      // Whatever was read meanwhile, reading on from there finds both.
      const after = await drain(meanwhile.cursor);
      expect([...meanwhile.ids, ...after.ids]).toEqual(expect.arrayContaining([slowSession, fastSession]));
    });
  });

  it('refuses a cursor it did not make', async () => {
    await expect(svc.auth.listRevokedSessions({ cursor: 'bm90IGEgY3Vyc29y', pageSize: 0 })).rejects.toThrow(/cursor/);
  });
});
