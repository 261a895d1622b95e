import { join, resolve } from 'node:path';
import { type ReferenceForRun, startReferenceForRun } from '../reference/bench-run.js';
import { REFERENCE_CEILING } from '../reference/ceiling-target.js';
import { dropReference } from '../reference/load.js';
import { ApiClient } from './api-client.js';
import { type CeilingTarget, measureCeiling, WREN_CEILING } from './ceiling.js';
import { collectCursors } from './cursors.js';
import { databaseSizes, eventBacklog, postServiceCounts, serverVersion, waitForEventsApplied } from './database.js';
import { loadGraph } from './graph.js';
import { LoadGeneratorProcess } from './load-generator-client.js';
import type { BenchOptions } from './options.js';
import { commandLineOf, type ProcessGroup, processTree, singleProcess } from './proc-stats.js';
import { machineInfo } from './report.js';
import { buildReport, type ReferenceRun, writeResultFiles } from './results.js';
import { type SeedResult, seedGraph } from './seed.js';
import { readSeedRecord, type SeedRecord, sameSeeding, writeSeedRecord } from './seed-record.js';
import type { StepResult } from './steps.js';
import { sweep } from './sweep.js';
import { renewAll, TokenKeeper } from './tokens.js';
import type { WorkloadData } from './workload.js';
import { launchWren, type WrenInstance } from './wren-launcher.js';

const root = resolve(import.meta.dirname, '..', '..');
const resultsDir = join(root, 'bench', 'results');
const graphsDir = join(root, 'bench', 'data', 'social-graph');
const log = (line: string) => console.log(`[bench] ${line}`);

/** --pids: name each by its command line; a PostgreSQL postmaster brings its backends. */
function groupsOfPids(pids: number[]): ProcessGroup[] {
  return pids.map((pid) => {
    const command = commandLineOf(pid);
    const service = /services\/([\w-]+)\/src\/main\.ts/.exec(command)?.[1];
    if (service) return singleProcess(service, pid);
    if (/postgres/.test(command)) return processTree('postgres', pid);
    return singleProcess(`pid-${pid}`, pid);
  });
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** --data-dir with a matching seeding: only new tokens, from the kept refresh tokens. */
async function reuseSeeding(
  api: ApiClient,
  record: SeedRecord,
  options: BenchOptions,
  say: (line: string) => void,
): Promise<SeedResult> {
  say(`reusing the data seeded on ${record.seeded_at} in ${options.dataDir} (not fresh: earlier runs added posts)`);
  const started = performance.now();
  const tokens = await renewAll(api, record.refresh_tokens, options.seedConcurrency);
  const seconds = (performance.now() - started) / 1000;
  const phases = {
    refresh: { seconds: round1(seconds), requests: tokens.length, per_second: Math.round(tokens.length / seconds) },
  };
  return { tokens, tokensAt: started, reused: true, phases, follows: record.follows, text: record.text };
}

export async function runBench(options: BenchOptions): Promise<void> {
  const graph = await loadGraph(options.graph, graphsDir);
  const follows = graph.edges.length * 2;
  const postsPerUser = `${options.postsPerUser.min}-${options.postsPerUser.max}`;
  log(`${graph.name}: ${graph.userCount} users, ${follows} follows`);

  let wren: WrenInstance | undefined;
  if (!options.target) {
    log(`starting Wren (scripts/start.ts) on ${options.dataDir ?? 'a fresh data directory'}`);
    wren = await launchWren(root, {
      logDir: join(resultsDir, 'tmp'),
      keepData: options.keepData,
      dataDir: options.dataDir,
    });
    log(`Wren ready in ${wren.startupSeconds} s at ${wren.origin}; its logs: ${wren.logFile}`);
  }
  let reference: ReferenceForRun | undefined;
  // Ctrl-C stops what the bench started (the reference server too), then exits.
  const stopWren = () => void Promise.allSettled([reference?.stop(), wren?.stop()]).then(() => process.exit(130));
  process.once('SIGINT', stopWren);
  const origin = wren?.origin ?? (options.target as string);
  const serverUrl = wren?.serverUrl ?? options.databaseUrl;
  const groups = wren?.groups ?? groupsOfPids(options.pids);
  const api = new ApiClient(origin, options.seedConcurrency);
  let generator: LoadGeneratorProcess | undefined;

  try {
    // Timelines read the follow graph that post-service replicates from user-service's events.
    const settle = async () => {
      if (serverUrl) return waitForEventsApplied(serverUrl, 600_000);
      await new Promise((resolve) => setTimeout(resolve, 5000));
      return { seconds: 5 };
    };
    const seeding = { graph: graph.name, seed: options.seed, posts_per_user: postsPerUser };
    const record = options.dataDir ? await readSeedRecord(options.dataDir) : undefined;
    const seeded =
      record && sameSeeding(record, seeding)
        ? await reuseSeeding(api, record, options, log)
        : await seedGraph(api, graph, {
            seed: options.seed,
            postsPerUser: options.postsPerUser,
            concurrency: options.seedConcurrency,
            settle,
            groups,
            log,
          });
    const saveRecord = async () => {
      if (!options.dataDir) return;
      const refresh_tokens = keeper.all.map((token) => token.refreshToken);
      const seeded_at = record && sameSeeding(record, seeding) ? record.seeded_at : new Date().toISOString();
      await writeSeedRecord(options.dataDir, { ...seeding, seeded_at, follows, text: seeded.text, refresh_tokens });
    };
    for (const [phase, timing] of Object.entries(seeded.phases)) {
      const cores = Object.entries(timing.cores ?? {}).map(([name, used]) => `${name} ${used}`);
      log(`  ${phase}: ${timing.seconds} s${cores.length > 0 ? `; cores: ${cores.join(', ')}` : ''}`);
    }
    const counts = serverUrl ? await postServiceCounts(serverUrl) : undefined;
    const storage = serverUrl ? await databaseSizes(serverUrl) : undefined;
    if (counts) log(`  post-service has ${JSON.stringify(counts)}; sizes (MB) ${JSON.stringify(storage)}`);

    const lifetimeMs = Math.min(...seeded.tokens.map((token) => token.expiresIn)) * 1000;
    const keeper = new TokenKeeper(seeded.tokens, seeded.tokensAt, lifetimeMs);
    await saveRecord();
    log(`walking the timelines of ${Math.min(options.cursorUsers, graph.userCount)} users for cursors`);
    const cursors = await collectCursors(api, keeper.all, {
      seed: options.seed,
      sampleSize: options.cursorUsers,
      concurrency: options.seedConcurrency,
    });
    log(`  ${cursors.requests} requests in ${cursors.seconds} s`);
    const dataOf = (): WorkloadData => ({
      userCount: graph.userCount,
      tokens: keeper.accessTokens,
      homeCursors: cursors.homeCursors,
      userCursors: cursors.userCursors,
      walked: cursors.walked,
    });
    // The reference gets a copy of the data now, before any sweep adds posts to Wren's.
    if (options.reference && serverUrl) {
      reference = await startReferenceForRun({
        serverUrl,
        userCount: graph.userCount,
        seed: options.seed,
        cursorUsers: options.cursorUsers,
        concurrency: options.seedConcurrency,
        log,
      });
    }
    const loadGenerator = await LoadGeneratorProcess.start(origin, dataOf());
    generator = loadGenerator;

    const beforeStep = async () => {
      await settle().catch((error: Error) => log(`  (events not all applied: ${error.message})`));
      if (await keeper.renewIfOld(api, options.seedConcurrency)) {
        await saveRecord();
        await loadGenerator.setData(origin, dataOf());
      }
    };
    const postgres = groups.find((group) => group.name === 'postgres');
    const sweeps: Array<{
      workload: (typeof options.workloads)[number];
      steps: StepResult[];
      referenceSteps?: StepResult[];
    }> = [];
    for (const workload of options.workloads) {
      const backlog = serverUrl ? () => eventBacklog(serverUrl, 600_000) : undefined;
      const steps = await sweep(
        { options, generator: loadGenerator, groups, beforeStep, eventBacklog: backlog, log },
        workload,
      );
      let referenceSteps: StepResult[] | undefined;
      if (reference) {
        // The same generator, rates and seed; only the origin, tokens and cursors differ.
        await loadGenerator.setData(reference.instance.origin, reference.data);
        const referenceGroups = [reference.instance.group, ...(postgres ? [postgres] : [])];
        referenceSteps = await sweep(
          {
            options,
            generator: loadGenerator,
            groups: referenceGroups,
            beforeStep: async () => {},
            log: (line) => log(`reference ${line}`),
          },
          workload,
        );
        await loadGenerator.setData(origin, dataOf());
      }
      sweeps.push({ workload, steps, referenceSteps });
    }

    // Last, because compose.sql adds rows the HTTP steps would otherwise read.
    const machine = machineInfo(serverUrl ? await serverVersion(serverUrl) : undefined);
    /** A failed ceiling (pgbench missing, a script out of step with the SQL) must not throw away the sweeps. */
    const ceilingOf = async (workload: (typeof options.workloads)[number], target: CeilingTarget, who: string) => {
      if (!serverUrl || !options.ceiling) return { ceiling: undefined, ceilingError: undefined };
      log(`ceiling of ${who} for ${workload}: pgbench for ${options.ceilingSeconds} s`);
      await settle();
      try {
        const ceiling = await measureCeiling({
          serverUrl,
          workload,
          seconds: options.ceilingSeconds,
          clients: 16,
          threads: 2,
          seed: options.seed,
          userCount: graph.userCount,
          postgres,
          target,
        });
        log(`  ${ceiling.pgbench_tps} tps, ${ceiling.latency_avg_ms} ms average`);
        return { ceiling, ceilingError: undefined };
      } catch (error) {
        log(`  the ceiling failed: ${(error as Error).message}`);
        return { ceiling: undefined, ceilingError: (error as Error).message };
      }
    };
    for (const { workload, steps, referenceSteps } of sweeps) {
      const { ceiling, ceilingError } = await ceilingOf(workload, WREN_CEILING, 'Wren');
      let referenceRun: ReferenceRun | undefined;
      if (reference && referenceSteps) {
        referenceRun = {
          steps: referenceSteps,
          ...(await ceilingOf(workload, REFERENCE_CEILING, 'the reference')),
          counts: reference.loaded.counts,
        };
      }
      const report = buildReport({
        options,
        workload,
        graph,
        steps,
        ceiling,
        ceilingError,
        machine,
        reference: referenceRun,
        seeding: {
          reused: seeded.reused,
          startup_seconds: wren?.startupSeconds,
          phases: seeded.phases,
          post_text: seeded.text,
          counts,
          storage_mb: storage,
          cursors: { walked_users: cursors.walked.length, requests: cursors.requests, seconds: cursors.seconds },
        },
      });
      const { base, markdown } = await writeResultFiles(resultsDir, report);
      console.log(`\n${markdown}`);
      log(`wrote ${base}.json, .md and .svg`);
    }
  } finally {
    await generator?.stop();
    api.close();
    if (reference) {
      log('stopping the reference server');
      await reference.stop();
      // Wren's data directory is usually temporary; a --target's or --data-dir's server keeps no copy.
      if (serverUrl) await dropReference(serverUrl).catch((error: Error) => log(`  (not dropped: ${error.message})`));
    }
    process.off('SIGINT', stopWren);
    if (wren) {
      log('stopping Wren');
      await wren.stop();
    }
  }
}
