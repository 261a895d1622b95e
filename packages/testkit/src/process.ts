/**
 * Runs a service's real entry point (`services/<name>/src/main.ts`) as a child process, for
 * tests of what only a process shows: exit codes, signals, start-up failures.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..', '..');

/** A child process whose stdout and stderr are kept, for assertions and failure messages. */
export interface WatchedProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** Why the process could not be started (a missing binary), if so. */
  spawnError(): Error | undefined;
}

export type ServiceProcess = WatchedProcess;

/** Spawns `command` with its output collected; `options` as for child_process.spawn. */
export function spawnWatched(command: string, args: string[], options: SpawnOptions = {}): WatchedProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    // Without a listener a failed spawn would be an uncaught 'error' event.
    child.once('error', (error) => {
      spawnError = error;
      resolve('not started');
    });
  });
  return { child, output: () => output, exited, spawnError: () => spawnError };
}

/** A Node entry point of this repository (a path from its root), run through tsx. */
export function spawnTsEntry(entry: string, env: Record<string, string>, options: SpawnOptions = {}): WatchedProcess {
  return spawnWatched(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    ...options,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
}

export function spawnService(name: string, env: Record<string, string>): ServiceProcess {
  return spawnTsEntry(join('services', name, 'src', 'main.ts'), {
    LOG_LEVEL: 'info',
    ADMIN_HOST: '127.0.0.1',
    ADMIN_PORT: '0',
    ...env,
  });
}

/** Polls until `check` resolves truthy, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await check();
      if (result) return result;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}
