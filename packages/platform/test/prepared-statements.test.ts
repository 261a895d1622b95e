import { createTestDatabase } from '@wren/testkit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/index.js';

describe('prepared statements', () => {
  let database: Database<unknown>;
  beforeAll(async () => {
    database = createDatabase({ url: await createTestDatabase('prepared'), max: 2, applicationName: 'test' });
    // Several statements in one text, without parameters (what migrations send): untouched.
    await sql`CREATE TABLE things (id int PRIMARY KEY, name text); INSERT INTO things VALUES (1, 'one')`.execute(
      database.db,
    );
  });
  afterAll(() => database?.close());

  it('prepares a parameterised statement once per connection and reuses it; never one that expands *', async () => {
    await database.db.connection().execute(async (connection) => {
      for (let i = 0; i < 3; i += 1) {
        const { rows } = await sql<{ name: string }>`SELECT name FROM things WHERE id = ${1}`.execute(connection);
        expect(rows).toEqual([{ name: 'one' }]);
      }
      await sql`SELECT * FROM things WHERE id = ${1}`.execute(connection);
      await sql`SELECT count(*) AS n FROM things WHERE id > ${0}`.execute(connection);
      const { rows } = await sql<{ statement: string }>`
        SELECT statement FROM pg_prepared_statements WHERE statement LIKE ${'%things%'} ORDER BY statement
      `.execute(connection);
      const statements = rows.map((row) => row.statement);
      // The first text is named once however often it ran; SELECT * never; count(*) is fine.
      expect(statements.filter((text) => text.startsWith('SELECT name FROM things'))).toHaveLength(1);
      expect(statements.some((text) => text.startsWith('SELECT * FROM things'))).toBe(false);
      expect(statements.some((text) => text.startsWith('SELECT count(*) AS n FROM things'))).toBe(true);
    });
  });
});
