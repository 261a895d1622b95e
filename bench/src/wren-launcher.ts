/**
 * Starts Wren for a bench run the way a user does (`scripts/start.ts`, as a child process),
 * with a fresh data directory, free ports, raised rate limits and quiet logs, and finds
 * the pids of its processes so their CPU and memory can be measured.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childrenOf, commandLineOf, type ProcessGroup, processTree, singleProcess } from './proc-stats.js';

export interface WrenInstance {
  origin: string;
  /** The embedded PostgreSQL server's admin URL (user postgres, trust auth). */
  serverUrl: string;
  startupSeconds: number;
  logFile: string;
  /** api-gateway, user-service, post-service, notification-service, postgres. */
  groups: ProcessGroup[];
  stop(): Promise<void>;
}

/** A port nobody listens on now: another engineer's `npm start` may hold the defaults. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Wren not ready after ${timeoutMs / 1000} s`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      if (!chunk.toString('utf8').includes('[wren] ready in')) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve();
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Wren's launcher exited during start (${code})`));
    });
  });
}

const SERVICE_MAIN = /services\/([\w-]+)\/src\/main\.ts/;

export async function launchWren(
  root: string,
  options: { logDir: string; keepData: boolean; dataDir?: string | undefined },
): Promise<WrenInstance> {
  const started = performance.now();
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'wren-bench-')));
  await mkdir(dataDir, { recursive: true });
  // mkdtemp makes it 0700; as root, PostgreSQL runs as the postgres user and must get in.
  await chmod(dataDir, 0o755);
  await mkdir(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `wren-${new Date().toISOString().replaceAll(':', '-')}.log`);
  const [gateway, user, post, notification, postgres] = await Promise.all(Array.from({ length: 5 }, freePort));
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...inherited,
      WREN_DATA_DIR: dataDir,
      PORT: String(gateway),
      USER_SERVICE_PORT: String(user),
      POST_SERVICE_PORT: String(post),
      NOTIFICATION_SERVICE_PORT: String(notification),
      WREN_POSTGRES_PORT: String(postgres),
      // The bench is one client address and a few thousand users hammering the API.
      RATE_LIMIT_MAX: '1000000000',
      RATE_LIMIT_AUTH_MAX: '1000000000',
      // The longest allowed, so one set of tokens lasts a run (the bench refreshes anyway).
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      LOG_LEVEL: 'warn',
      // Each process's metrics port on a free port: the defaults may be taken by another run.
      WREN_ADMIN_PORT_BASE: '0',
      ADMIN_HOST: '127.0.0.1',
    },
  });
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
    if (!options.keepData && !options.dataDir) await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForReady(child, 120_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; see ${logFile}`);
  }

  const groups: ProcessGroup[] = [];
  for (const pid of childrenOf(child.pid ?? -1)) {
    const name = SERVICE_MAIN.exec(commandLineOf(pid))?.[1];
    if (name) groups.push(singleProcess(name, pid));
  }
  groups.sort((a, b) => a.name.localeCompare(b.name));
  const postmasterPid = Number(
    (await readFile(join(dataDir, 'postgres', 'pgdata', 'postmaster.pid'), 'utf8')).split('\n')[0],
  );
  groups.push(processTree('postgres', postmasterPid));

  return {
    origin: `http://127.0.0.1:${gateway}`,
    serverUrl: `postgres://postgres@127.0.0.1:${postgres}/postgres`,
    startupSeconds: Math.round((performance.now() - started) / 100) / 10,
    logFile,
    groups,
    stop,
  };
}
