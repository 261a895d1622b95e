/**
 * `--data-dir`: a Wren data directory kept between runs, with a note of what was seeded
 * into it and the users' refresh tokens, so a later run with the same graph, seed and posts
 * per user skips seeding (minutes, most of a quick run) and only renews tokens. The data
 * is then not fresh: earlier runs' compose steps and pgbench ceilings added posts to it.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TextStats } from './seed.js';

export interface SeedRecord {
  graph: string;
  seed: number;
  posts_per_user: string;
  seeded_at: string;
  follows: number;
  text: TextStats;
  refresh_tokens: string[];
}

const fileOf = (dataDir: string) => join(dataDir, 'bench-seed.json');

export async function readSeedRecord(dataDir: string): Promise<SeedRecord | undefined> {
  if (!existsSync(fileOf(dataDir))) return undefined;
  return JSON.parse(await readFile(fileOf(dataDir), 'utf8')) as SeedRecord;
}

/** Refresh tokens are credentials of the bench's users on this instance: owner-only. */
export async function writeSeedRecord(dataDir: string, record: SeedRecord): Promise<void> {
  await writeFile(fileOf(dataDir), `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

export function sameSeeding(
  record: SeedRecord,
  wanted: Pick<SeedRecord, 'graph' | 'seed' | 'posts_per_user'>,
): boolean {
  return (
    record.graph === wanted.graph && record.seed === wanted.seed && record.posts_per_user === wanted.posts_per_user
  );
}
