/**
 * What a PostgreSQL pool tells Prometheus (connections in use, idle, callers waiting) and
 * the span each SQL statement gets when tracing is on. Statements are parameterised (Kysely
 * sends `$1`, never values), so the span carries the statement text without user data.
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type pg from 'pg';
import { Gauge, type Registry } from 'prom-client';
import { tracingEnabled, wrenTracer } from './tracing.js';

export function observePool(registry: Registry, pool: pg.Pool, max: number): void {
  new Gauge({
    name: 'wren_db_pool_connections',
    help: 'PostgreSQL pool connections by state (in_use, idle).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      this.set({ state: 'idle' }, pool.idleCount);
    },
  });
  new Gauge({
    name: 'wren_db_pool_waiting_clients',
    help: 'Callers waiting for a PostgreSQL connection (pool exhausted).',
    registers: [registry],
    collect() {
      this.set(pool.waitingCount);
    },
  });
  new Gauge({
    name: 'wren_db_pool_max_connections',
    help: 'Size limit of the PostgreSQL pool (DATABASE_POOL_MAX).',
    registers: [registry],
    collect() {
      this.set(max);
    },
  });
}

type QueryFn = (...args: unknown[]) => unknown;

/** Gives every statement run inside a traced operation a client span, when tracing is on. */
export function traceQueries(pool: pg.Pool, database: string): void {
  if (!tracingEnabled()) return;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as QueryFn;
    (client as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
      // Only inside a traced operation: background polls would otherwise start a new trace
      // every second. Callback-style calls (pg's own internals) pass through untraced.
      if (!trace.getActiveSpan() || typeof args[args.length - 1] === 'function') return query(...args);
      const text = statementText(args[0]);
      const span = wrenTracer().startSpan(`${operationOf(text)} ${database}`, {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': 'postgresql', 'db.namespace': database, 'db.query.text': text },
      });
      const done = (error?: unknown) => {
        if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        span.end();
      };
      const result = query(...args);
      if (result instanceof Promise) {
        result.then(
          () => done(),
          (error) => done(error),
        );
      } else {
        done(); // a Submittable (cursor, stream) reports on its own
      }
      return result;
    };
  });
}

function statementText(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'text' in arg && typeof arg.text === 'string') return arg.text;
  return '';
}

function operationOf(text: string): string {
  const word = /^\s*(\w+)/.exec(text)?.[1];
  return word ? word.toUpperCase() : 'SQL';
}
