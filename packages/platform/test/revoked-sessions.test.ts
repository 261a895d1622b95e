/**
 * The in-memory set of ended sessions: it learns them by polling, forgets each when its
 * tokens have expired, and keeps what it knows (retrying with backoff) while polling fails.
 */
import { describe, expect, it } from 'vitest';
import { createRevokedSessions, type RevokedSessionsPage } from '../src/auth/revoked-sessions.js';

const quietLog = { warn: () => {}, info: () => {} };
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('revoked sessions', () => {
  it('pages through at once, continues from the cursor, and forgets an entry when its tokens expired', async () => {
    let clock = 1_000_000;
    const cursors: string[] = [];
    const pages: RevokedSessionsPage[] = [
      { sessions: [{ sessionId: 'a', forgetAfter: new Date(clock + 1000) }], nextCursor: 'c1', more: true },
      { sessions: [{ sessionId: 'b', forgetAfter: new Date(clock + 5000) }], nextCursor: 'c2', more: false },
    ];
    const revoked = createRevokedSessions({
      log: quietLog,
      intervalMs: 10,
      now: () => clock,
      fetch: async (cursor) => {
        cursors.push(cursor);
        return pages.shift() ?? { sessions: [], nextCursor: cursor, more: false };
      },
    });
    expect(revoked.has('a')).toBe(false);
    const polling = revoked.start();
    await until(() => revoked.has('a') && revoked.has('b') && cursors.length >= 3);
    expect(cursors.slice(0, 3)).toEqual(['', 'c1', 'c2']);
    clock += 2000;
    expect(revoked.has('a')).toBe(false);
    expect(revoked.has('b')).toBe(true);
    await polling.stop();
  });

  it('keeps what it knows while polling fails, warns, and backs off', async () => {
    const calls: number[] = [];
    const warnings: unknown[] = [];
    let failing = false;
    const revoked = createRevokedSessions({
      log: { warn: (obj: unknown) => warnings.push(obj), info: () => {} },
      intervalMs: 5,
      maxBackoffMs: 40,
      fetch: async () => {
        calls.push(performance.now());
        if (failing) throw new Error('user-service is away');
        failing = true;
        return {
          sessions: [{ sessionId: 'x', forgetAfter: new Date(Date.now() + 60_000) }],
          nextCursor: 'c',
          more: false,
        };
      },
    });
    const polling = revoked.start();
    await until(() => calls.length >= 6);
    await polling.stop();
    expect(revoked.has('x')).toBe(true);
    expect(warnings.length).toBeGreaterThanOrEqual(4);
    // Each wait is longer than the one before it, up to the cap.
    const gaps = calls.slice(1).map((at, i) => at - (calls[i] ?? 0));
    expect(gaps.at(-1)).toBeGreaterThan(30);
    const stopped = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls.length).toBe(stopped);
  });
});
