/**
 * Vitest global setup: one PostgreSQL server for the whole run — our own embedded one, or
 * the server DATABASE_URL names. Each suite then creates its own databases on it, so
 * suites run in parallel without seeing each other's rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@wren/platform/embedded-postgres';
import type { TestProject } from 'vitest/node';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresServerUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) {
    project.provide('postgresServerUrl', process.env.DATABASE_URL);
    return async () => {};
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'wren-test-pg-'));
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), ephemeral: true });
  project.provide('postgresServerUrl', postgres.adminUrl);
  return async () => {
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
