/** The command line of `npm run bench`, with the defaults of a full run and of `--quick`. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { graphName } from './graph.js';
import { WORKLOAD_NAMES, type WorkloadName } from './workload.js';

export interface BenchOptions {
  quick: boolean;
  graph: string;
  workloads: WorkloadName[];
  /** What was asked for: `all` or one workload (names the result files). */
  workloadArg: string;
  rates: number[];
  durationSeconds: number;
  warmupSeconds: number;
  label: string | undefined;
  target: string | undefined;
  pids: number[];
  databaseUrl: string | undefined;
  seed: number;
  postsPerUser: { min: number; max: number };
  /** Most requests the load generator has outstanding (its keep-alive sockets). */
  connections: number;
  timeoutSeconds: number;
  /** Requests in flight while seeding and walking timelines. */
  seedConcurrency: number;
  cursorUsers: number;
  ceilingSeconds: number;
  ceiling: boolean;
  keepData: boolean;
  /** A Wren data directory kept between runs (seeded once, then reused); see seed-record.ts. */
  dataDir: string | undefined;
  /** Also sweep the reference server (bench/reference/) at the same rates. */
  reference: boolean;
}

export const USAGE = `npm run bench -- [options]

  --quick                 short run: rates 250,1000,2000, 10 s steps, 3 s warm-up, 0-4 posts per user
  --graph NAME            socfb-Reed98 (default) or ego-facebook
  --workload W            mixed (default), home, user, compose, or all
  --rates R1,R2,...       request rates to step through (req/s)
  --duration S            measured seconds per step (default 30)
  --warmup S              warm-up seconds before each step (default 10)
  --label L               names the result files (default <graph>-<workload>[-quick])
  --target URL            a running Wren instead of starting one (seeds it through the API)
  --pids P1,P2,...        with --target: processes to measure (PostgreSQL's postmaster counts its backends)
  --database-url URL      with --target: its PostgreSQL server, for event draining, sizes and the ceiling
  --seed N                seed of everything random (default 1)
  --posts-per-user A-B    posts each user writes, drawn uniformly (default 0-20; quick 0-4)
  --connections N         most requests in flight from the load generator (default 256)
  --timeout S             a request not answered this long after its intended time fails (default 10)
  --concurrency N         requests in flight while seeding (default 128)
  --cursor-users N        users whose timelines are walked for deep-page cursors (default 300; quick 100)
  --ceiling-seconds S     pgbench duration (default 30; quick 10); --no-ceiling skips it
  --keep-data             keep the started Wren's data directory
  --data-dir DIR          run Wren on DIR and keep it; a later run with the same graph, seed and
                          posts per user reuses its data instead of seeding (not fresh data)
  --reference             also sweep the reference server (bench/reference/) on a copy of the same
                          data at the same rates; a full run does by default, --quick does not;
                          --no-reference skips it (with --target only if --database-url is given)
`;

const positiveInt = (name: string, value: string): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return number;
};

const positiveNumber = (name: string, value: string): number => {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`--${name} must be a positive number, got "${value}"`);
  return number;
};

function parseRange(value: string): { min: number; max: number } {
  const match = /^(\d+)-(\d+)$/.exec(value);
  if (!match || Number(match[1]) > Number(match[2])) throw new Error(`--posts-per-user must be A-B, got "${value}"`);
  return { min: Number(match[1]), max: Number(match[2]) };
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      quick: { type: 'boolean' },
      graph: { type: 'string' },
      workload: { type: 'string' },
      rates: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      label: { type: 'string' },
      target: { type: 'string' },
      pids: { type: 'string' },
      'database-url': { type: 'string' },
      seed: { type: 'string' },
      'posts-per-user': { type: 'string' },
      connections: { type: 'string' },
      timeout: { type: 'string' },
      concurrency: { type: 'string' },
      'cursor-users': { type: 'string' },
      'ceiling-seconds': { type: 'string' },
      'no-ceiling': { type: 'boolean' },
      'keep-data': { type: 'boolean' },
      'data-dir': { type: 'string' },
      reference: { type: 'boolean' },
      'no-reference': { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const workloadArg = values.workload ?? 'mixed';
  if (workloadArg !== 'all' && !(WORKLOAD_NAMES as readonly string[]).includes(workloadArg)) {
    throw new Error(`--workload must be one of ${WORKLOAD_NAMES.join(', ')} or all, got "${workloadArg}"`);
  }
  const rates = (values.rates ?? (quick ? '250,1000,2000' : '250,500,1000,1500,2000,2500,3000'))
    .split(',')
    .map((rate) => positiveNumber('rates', rate.trim()));
  if (values.reference && values['no-reference']) throw new Error('--reference and --no-reference together');
  // The reference's data is copied from Wren's database, so a --target run needs its server.
  const canReference = !values.target || values['database-url'] !== undefined;
  if (values.reference && !canReference) throw new Error('--reference with --target needs --database-url');
  const seed = Number(values.seed ?? 1);
  if (!Number.isInteger(seed) || seed < 0)
    throw new Error(`--seed must be a non-negative integer, got "${values.seed}"`);
  return {
    quick,
    graph: graphName(values.graph ?? 'socfb-Reed98'),
    workloads: workloadArg === 'all' ? [...WORKLOAD_NAMES] : [workloadArg as WorkloadName],
    workloadArg,
    rates,
    durationSeconds: positiveNumber('duration', values.duration ?? (quick ? '10' : '30')),
    warmupSeconds: values.warmup === '0' ? 0 : positiveNumber('warmup', values.warmup ?? (quick ? '3' : '10')),
    label: values.label,
    target: values.target?.replace(/\/+$/, ''),
    pids: values.pids ? values.pids.split(',').map((pid) => positiveInt('pids', pid.trim())) : [],
    databaseUrl: values['database-url'],
    seed,
    postsPerUser: parseRange(values['posts-per-user'] ?? (quick ? '0-4' : '0-20')),
    connections: positiveInt('connections', values.connections ?? '256'),
    timeoutSeconds: positiveNumber('timeout', values.timeout ?? '10'),
    seedConcurrency: positiveInt('concurrency', values.concurrency ?? '128'),
    cursorUsers: positiveInt('cursor-users', values['cursor-users'] ?? (quick ? '100' : '300')),
    ceilingSeconds: positiveInt('ceiling-seconds', values['ceiling-seconds'] ?? (quick ? '10' : '30')),
    ceiling: !(values['no-ceiling'] ?? false),
    keepData: values['keep-data'] ?? false,
    dataDir: values['data-dir'] ? resolve(values['data-dir']) : undefined,
    reference: canReference && !values['no-reference'] && (values.reference ?? !quick),
  };
}

/** The result files' name: `<graph>-<workload>[-quick]`, or the label (+ workload with `all`). */
export function labelFor(options: BenchOptions, workload: WorkloadName): string {
  if (options.label) return options.workloadArg === 'all' ? `${options.label}-${workload}` : options.label;
  return `${options.graph}-${workload}${options.quick ? '-quick' : ''}`;
}
