/**
 * Starts the reference server as a child process (`node --import tsx`, as Wren's services
 * run under the bench) and waits for its ready line, so that its CPU is metered apart from
 * the bench's own.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type ProcessGroup, singleProcess } from '../src/proc-stats.js';

export interface ReferenceInstance {
  origin: string;
  pid: number;
  group: ProcessGroup;
  stop(): Promise<void>;
}

const READY = /\[reference\] listening on ([\d.]+):(\d+)/;

export async function launchReference(options: {
  databaseUrl: string;
  publicKeyPem: string;
  timeoutMs?: number;
}): Promise<ReferenceInstance> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'server.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      REFERENCE_JWT_PUBLIC_KEY: options.publicKeyPem,
      PORT: '0',
      HOST: '127.0.0.1',
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    const origin = await new Promise<string>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? 30_000;
      const timer = setTimeout(
        () => reject(new Error(`the reference server not ready after ${timeoutMs} ms`)),
        timeoutMs,
      );
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = READY.exec(output);
        if (!match) return;
        clearTimeout(timer);
        resolve(`http://${match[1]}:${match[2]}`);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the reference server exited during start (${code})`));
      });
    });
    const pid = child.pid ?? -1;
    return { origin, pid, group: singleProcess('reference', pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
