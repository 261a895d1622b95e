import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Registry } from 'prom-client';
import { createLogger, type Logger } from '../logger.js';
import { observePool, traceQueries } from '../telemetry/db-instrumentation.js';
import { prepareStatements } from './prepared-statements.js';

// bigint (count(*), sums) as number: our counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export interface PoolOptions {
  url: string;
  max: number;
  applicationName: string;
  /** Server-side statement timeout, so a runaway query cannot hold a connection forever. */
  statementTimeoutMs?: number;
  /** The service's metrics registry: pool usage goes there. */
  registry?: Registry;
  /** Where lost connections are reported; a logger named after `applicationName` if unset. */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * How long a query waits for a connection (a new one, or a free one of a busy pool) before
 * it fails. Short, so that while the database is away requests fail fast (UNAVAILABLE)
 * instead of piling up until their deadlines.
 */
export const CONNECT_TIMEOUT_MS = 3000;

export interface Database<Schema> {
  readonly db: Kysely<Schema>;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export function createDatabase<Schema>(options: PoolOptions): Database<Schema> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    application_name: options.applicationName,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle connection that the server drops (a restart, pg_terminate_backend) is emitted
  // here; unhandled, that 'error' event would end the process. pg-pool has already
  // discarded the client, and the next query opens a new connection.
  const logger = options.logger ?? createLogger(options.applicationName);
  pool.on('error', (error) => {
    logger.warn({ err: error }, 'database connection lost; it will be replaced');
  });
  // A connection checked out (a transaction between two statements) has no pool listener:
  // its loss would be an unhandled 'error' too. The statement that follows fails, and the
  // pool discards the broken connection when it is released.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      logger.warn({ err: error }, 'database connection lost while in use');
    });
  });
  if (options.registry) observePool(options.registry, pool, options.max);
  prepareStatements(pool);
  traceQueries(pool, databaseName(options.url));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  let closing: Promise<void> | undefined;
  return {
    db,
    pool,
    close() {
      closing ??= db.destroy();
      return closing;
    },
  };
}

function databaseName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
  } catch {
    return 'postgres';
  }
}
