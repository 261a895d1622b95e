/**
 * Turns the pool's parameterised statements into named prepared statements, so that
 * PostgreSQL parses and plans each one once per connection instead of on every call. On the
 * timeline reads, planning cost more than executing (≈ 1.1 ms against 0.6 ms per page), so
 * this roughly halves the database's work per request.
 *
 * Left alone: statements without parameters (migrations' DDL, several statements in one
 * text — the extended protocol takes one), and statements that expand `*`: a prepared
 * `SELECT *` fails with "cached plan must not change result type" once a migration of a newer
 * release adds a column under a running older one. A connection prepares at most
 * MAX_PER_CONNECTION statements (the rest run unnamed), so server memory stays bounded
 * whatever shapes the query builder produces.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';

const MAX_PER_CONNECTION = 500;
const STAR_EXPANSION = /\*/;

type QueryFn = (...args: unknown[]) => unknown;

export function prepareStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const names = new Map<string, string>();
    const query = client.query.bind(client) as QueryFn;
    (client as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
      const [text, values] = args;
      if (args.length !== 2 || typeof text !== 'string' || !Array.isArray(values) || values.length === 0) {
        return query(...args);
      }
      const name = names.get(text) ?? nameFor(text, names);
      return name ? query({ name, text, values }) : query(text, values);
    };
  });
}

function nameFor(text: string, names: Map<string, string>): string | undefined {
  if (names.size >= MAX_PER_CONNECTION || STAR_EXPANSION.test(text.replaceAll('count(*)', ''))) return undefined;
  const name = `w_${createHash('sha1').update(text).digest('base64url')}`;
  names.set(text, name);
  return name;
}
