/**
 * The sessions that ended while their access tokens may still be unexpired, kept in memory
 * by every process that verifies access tokens locally (the gateway, post-service,
 * notification-service). Access tokens are verified without asking user-service, so without
 * this a logged-out or revoked session would keep working everywhere but user-service until
 * its token expired. A background poll keeps the set within about one interval of
 * user-service; verifying a token only looks it up, off the network.
 *
 * The first poll asks for everything user-service still reports (every revocation whose
 * tokens may be live), so a process that starts late knows earlier revocations too. Each
 * entry is forgotten when user-service says its tokens have all expired, so the set stays
 * as small as the revocations of one access-token lifetime. When polling fails, the set is
 * kept and the poll retried with backoff: until it succeeds, revocations made meanwhile are
 * not seen — the same window a token had before this existed, and logged as a warning.
 */
import type { Logger } from 'pino';
import type { Stoppable } from '../lifecycle.js';

export interface RevokedSessionsPage {
  sessions: { sessionId: string; forgetAfter: Date | undefined }[];
  nextCursor: string;
  /** More is ready now: fetch again at once. */
  more: boolean;
}

export interface RevokedSessionsOptions {
  /** One page after `cursor` ('' for the first call). */
  fetch: (cursor: string) => Promise<RevokedSessionsPage>;
  log: Pick<Logger, 'warn' | 'info'>;
  /** How often to ask; the delay before a revoked session is refused everywhere. */
  intervalMs?: number;
  /** The longest wait between retries while user-service cannot be reached. */
  maxBackoffMs?: number;
  now?: () => number;
}

/** What a verifier needs: is this session known to have ended? */
export interface RevokedSessionSet {
  has(sessionId: string): boolean;
}

export interface RevokedSessions extends RevokedSessionSet {
  /** Starts polling in the background (once); stop() ends it and waits for a poll in flight. */
  start(): Stoppable;
}

export const REVOKED_SESSIONS_POLL_MS = 300;
const MAX_BACKOFF_MS = 5000;
/** Failures before the first success that pass without a warning (about 5 s). */
const QUIET_START_FAILURES = 4;
/** A bound on pages per poll, so a poll always ends and the timer keeps its pace. */
const MAX_PAGES_PER_POLL = 20;

export function createRevokedSessions(options: RevokedSessionsOptions): RevokedSessions {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? REVOKED_SESSIONS_POLL_MS;
  const maxBackoffMs = options.maxBackoffMs ?? MAX_BACKOFF_MS;
  const forgetAt = new Map<string, number>();
  let cursor = '';
  let lastPrune = 0;

  const prune = () => {
    const at = now();
    for (const [sessionId, until] of forgetAt) if (until <= at) forgetAt.delete(sessionId);
    lastPrune = at;
  };

  const poll = async () => {
    for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
      const answer = await options.fetch(cursor);
      for (const session of answer.sessions) {
        // Without a time, keep it for as long as anything: one access-token lifetime is at most an hour.
        forgetAt.set(session.sessionId, session.forgetAfter?.getTime() ?? now() + 3600_000);
      }
      cursor = answer.nextCursor;
      if (!answer.more) break;
    }
    if (now() - lastPrune >= 10 * intervalMs) prune();
  };

  let started: Stoppable | undefined;
  return {
    has(sessionId) {
      const until = forgetAt.get(sessionId);
      return until !== undefined && until > now();
    },
    start() {
      started ??= (() => {
        let stopped = false;
        let timer: NodeJS.Timeout | undefined;
        let running: Promise<void> = Promise.resolve();
        let failures = 0;
        let succeeded = false;
        let warned = false;
        const schedule = (delay: number) => {
          if (stopped) return;
          timer = setTimeout(run, delay);
          timer.unref();
        };
        const run = () => {
          running = poll().then(
            () => {
              if (warned) options.log.info({ failures }, 'revoked-session polling works again');
              failures = 0;
              succeeded = true;
              warned = false;
              schedule(intervalMs);
            },
            (error: unknown) => {
              failures++;
              const delay = Math.min(intervalMs * 2 ** failures, maxBackoffMs);
              // Processes start together, so user-service may not answer yet at first: only
              // a failure that lasts, or one after polling worked, is worth a warning.
              if (succeeded || failures >= QUIET_START_FAILURES) {
                warned = true;
                options.log.warn(
                  { err: error, failures, retryInMs: delay },
                  'cannot fetch revoked sessions; revocations made meanwhile are not refused yet',
                );
              }
              schedule(delay);
            },
          );
        };
        run();
        return {
          async stop() {
            stopped = true;
            clearTimeout(timer);
            await running;
          },
        };
      })();
      return started;
    },
  };
}
