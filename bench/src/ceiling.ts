/**
 * The database's own ceiling: pgbench runs the SQL that serves the bench's requests straight
 * against the post-service database of the same run (scripts in ./pgbench/), so the report
 * can say what fraction of the database's throughput the whole stack reaches. The reference
 * server's SQL gets the same treatment on its own database (a CeilingTarget of its own:
 * bench/reference/ceiling-target.ts).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { databaseUrl, withClient } from './database.js';
import { postText, usernameOf } from './post-text.js';
import { Prng } from './prng.js';
import { type GroupUsage, type ProcessGroup, ProcessMeter, wholeMachine } from './proc-stats.js';
import type { WorkloadName } from './workload.js';

const SCRIPTS = join(import.meta.dirname, 'pgbench');
const TEXTS = 1000;

/** Scripts and weights per workload: the same mix as the HTTP run. */
const SCRIPT_MIX: Record<WorkloadName, Array<[string, number]>> = {
  mixed: [
    ['home.sql', 6],
    ['user.sql', 3],
    ['compose.sql', 1],
  ],
  home: [['home.sql', 1]],
  user: [['user.sql', 1]],
  compose: [['compose.sql', 1]],
};

export interface CeilingScope {
  included: string[];
  excluded: string[];
}

export const CEILING_SCOPE: CeilingScope = {
  included: [
    "home: loadHomePage, one statement (a range scan of the viewer's home_feed, limit 11, joined to the post views)",
    'user: loadUserPage, one statement (author, follow check, feed page of 11, post views)',
    "compose: authorAndMentioned's one look-up of the author and the mentioned names, then insertComposedPost's " +
      'one statement: idempotency key with its response, post (with mentions and hashtags), feed row, fan-out ' +
      'into the home_feed of the author and every follower, mention index rows, outbox insert + pg_notify',
    'one extra indexed look-up per transaction that turns pgbench random numbers into ids and cursors',
  ],
  excluded: [
    'loadShareViews (the service skips it too: the workload has no shares)',
    'the outbox relay reading and delivering the mention event, and notification-service applying it ' +
      '(compose writes its event to bench_outbox, which nobody reads)',
    'user-service and notification-service databases; JWT checks, gRPC, HTTP, JSON (not SQL)',
  ],
};

export interface PgbenchScriptResult {
  script: string;
  weight: number;
  tps: number;
  latency_avg_ms: number;
}

export interface CeilingResult {
  pgbench_tps: number;
  latency_avg_ms: number;
  transactions: number;
  failed: number;
  clients: number;
  threads: number;
  seconds: number;
  scripts: PgbenchScriptResult[];
  processes: Record<string, GroupUsage>;
  command: string;
  included: string[];
  excluded: string[];
}

const num = (pattern: RegExp, text: string) => {
  const value = Number(pattern.exec(text)?.[1] ?? Number.NaN);
  return Math.round(value * 100) / 100;
};

/** Reads pgbench's summary: totals, and each script's part when there are several. */
export function parsePgbenchOutput(output: string, mix: Array<[string, number]>) {
  const sections = output.split(/^SQL script \d+: /m).slice(1);
  const scripts: PgbenchScriptResult[] =
    sections.length > 0
      ? sections.map((section, index) => ({
          script: (mix[index] as [string, number])[0],
          weight: num(/weight: (\d+)/, section),
          tps: num(/tps = ([\d.]+)/, section),
          latency_avg_ms: num(/latency average = ([\d.]+) ms/, section),
        }))
      : [];
  return {
    pgbench_tps: num(/^tps = ([\d.]+)/m, output),
    latency_avg_ms: num(/^latency average = ([\d.]+) ms/m, output),
    transactions: num(/number of transactions actually processed: (\d+)/, output),
    failed: num(/^number of failed transactions: (\d+)/m, output) || 0,
    scripts,
  };
}

/** Whose SQL pgbench runs: a database of the run's server, its scripts, and how to tidy up after. */
export interface CeilingTarget {
  database: string;
  /** home.sql, user.sql, compose.sql, and setup.sql (the lookup tables bench_users, bench_*_pages). */
  scriptsDir: string;
  /** Takes out what compose.sql wrote, then drops the lookup tables and bench_texts. */
  cleanUp(client: pg.Client): Promise<void>;
  scope: CeilingScope;
}

async function prepare(url: string, scriptsDir: string, seed: number, userCount: number): Promise<void> {
  const prng = new Prng(seed, 'pgbench-texts');
  const texts = Array.from({ length: TEXTS }, (_, index) => {
    const post = postText(prng, prng.int(0, userCount - 1), userCount);
    return { k: index + 1, text: post.text, m: post.mentions.map(usernameOf) };
  });
  const setup = await readFile(join(scriptsDir, 'setup.sql'), 'utf8');
  await withClient(url, async (client) => {
    await client.query(setup);
    await client.query(
      'CREATE TABLE bench_texts (k int PRIMARY KEY, text text NOT NULL, mention_names text[] NOT NULL)',
    );
    await client.query(
      `INSERT INTO bench_texts (k, text, mention_names)
       SELECT (e->>'k')::int, e->>'text', ARRAY(SELECT jsonb_array_elements_text(e->'m'))
       FROM jsonb_array_elements($1::jsonb) AS e`,
      [JSON.stringify(texts)],
    );
  });
}

/**
 * Takes out what compose.sql wrote (its posts cascade to feed items, home feeds and
 * mentions; then their idempotency keys), so a later sweep or a reused data directory
 * reads the data the HTTP run made, then drops the lookup tables.
 */
async function cleanUpWren(client: pg.Client): Promise<void> {
  const made = await client.query("SELECT to_regclass('bench_outbox') IS NOT NULL AS present");
  if (made.rows[0]?.present) {
    await client.query('DELETE FROM posts WHERE id IN (SELECT event_id FROM bench_outbox)');
    await client.query(
      `DELETE FROM idempotency_keys WHERE method = '/wren.post.v1.PostService/CreatePost'
         AND key IN (SELECT event_id::text FROM bench_outbox)`,
    );
  }
  await client.query('DROP TABLE IF EXISTS bench_users, bench_home_pages, bench_user_pages, bench_outbox, bench_texts');
}

export const WREN_CEILING: CeilingTarget = {
  database: 'wren_posts',
  scriptsDir: SCRIPTS,
  cleanUp: cleanUpWren,
  scope: CEILING_SCOPE,
};

export async function measureCeiling(options: {
  serverUrl: string;
  workload: WorkloadName;
  seconds: number;
  clients: number;
  threads: number;
  seed: number;
  userCount: number;
  postgres: ProcessGroup | undefined;
  /** Wren's post-service SQL unless told otherwise. */
  target?: CeilingTarget;
}): Promise<CeilingResult> {
  const target = options.target ?? WREN_CEILING;
  const targetUrl = databaseUrl(options.serverUrl, target.database);
  const url = new URL(targetUrl);
  const mix = SCRIPT_MIX[options.workload];
  await prepare(targetUrl, target.scriptsDir, options.seed, options.userCount);
  const args = [
    // Prepared statements, as post-service sends its parameterised queries (named prepared
    // statements, packages/platform/src/db/prepared-statements.ts): parsed and planned once.
    ...['-n', '-M', 'prepared'],
    ...['-h', url.hostname, '-p', url.port, '-U', decodeURIComponent(url.username) || 'postgres'],
    ...mix.flatMap(([script, weight]) => ['-f', `${join(target.scriptsDir, script)}@${weight}`]),
    ...['-c', String(options.clients), '-j', String(options.threads), '-T', String(options.seconds)],
    ...['-D', `users=${options.userCount}`, '-D', `texts=${TEXTS}`],
    target.database,
  ];
  let pgbenchPid = -1;
  const groups: ProcessGroup[] = [{ name: 'pgbench', pids: () => [pgbenchPid] }, wholeMachine];
  if (options.postgres) groups.push(options.postgres);
  const meter = new ProcessMeter(groups);
  let usage: Record<string, GroupUsage> = {};

  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('pgbench', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      pgbenchPid = child.pid ?? -1;
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      // Measured while pgbench runs: from 1 s in (connections made) to just before it ends.
      setTimeout(() => meter.begin(), 1000);
      setTimeout(() => (usage = meter.end()), options.seconds * 1000 - 500);
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`pgbench exited ${code}:\n${stderr.slice(-2000)}`)),
      );
    });
    return {
      ...parsePgbenchOutput(output, mix),
      clients: options.clients,
      threads: options.threads,
      seconds: options.seconds,
      processes: usage,
      command: `pgbench ${args.join(' ').replaceAll(`${target.scriptsDir}/`, '')}`,
      ...target.scope,
    };
  } finally {
    await withClient(targetUrl, (client) => target.cleanUp(client));
  }
}
