import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Registry } from 'prom-client';
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
}

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
