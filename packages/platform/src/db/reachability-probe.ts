/**
 * Watches whether the database answers: `SELECT 1` every `intervalMs` on a connection of
 * its own (not the pool's, so that a pool busy with real work never reads as an outage),
 * opened again after every failure. The service reports NOT_SERVING while it fails, so that
 * readiness (the gateway's /readyz, Kubernetes) sends no traffic to a service that can only
 * answer UNAVAILABLE, and SERVING again as soon as the database is back.
 */
import pg from 'pg';
import type { Logger } from '../logger.js';

export interface ReachabilityProbeOptions {
  /** The pool's own settings (URL, application_name, connect timeout) are reused. */
  pool: pg.Pool;
  logger: Pick<Logger, 'warn' | 'info'>;
  /** Called on every change, and once with the first result. */
  onChange(reachable: boolean): void;
  intervalMs?: number;
}

export interface ReachabilityProbe {
  stop(): Promise<void>;
}

export function startReachabilityProbe(options: ReachabilityProbeOptions): ReachabilityProbe {
  const intervalMs = options.intervalMs ?? 1000;
  const { connectionString, application_name, connectionTimeoutMillis } = options.pool.options;
  let client: pg.Client | undefined;
  let reachable: boolean | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const discard = () => {
    const broken = client;
    client = undefined;
    void broken?.end().catch(() => {});
  };

  const check = async (): Promise<void> => {
    try {
      if (!client) {
        const fresh = new pg.Client({
          connectionString,
          application_name,
          connectionTimeoutMillis,
          query_timeout: intervalMs * 2,
        });
        // A connection dropped between checks must not be an unhandled 'error'.
        fresh.on('error', () => {
          if (client === fresh) discard();
        });
        client = fresh;
        await fresh.connect();
      }
      await client.query('SELECT 1');
      report(true);
    } catch (error) {
      discard();
      report(false, error);
    }
  };

  const report = (now: boolean, error?: unknown) => {
    if (now === reachable || stopped) return;
    if (!now) options.logger.warn({ err: error }, 'database unreachable; reporting NOT_SERVING until it is back');
    else if (reachable === false) options.logger.info('database reachable again; serving');
    reachable = now;
    options.onChange(now);
  };

  const tick = () => {
    running = check().finally(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      clearTimeout(timer);
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
