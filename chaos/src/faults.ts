/**
 * The faults, one step each: what breaks, how it is healed (what a supervisor or an
 * operator would do), and which request through the gateway shows that the part is back.
 */
import type { WrenProcess } from '@wren/testkit/system';
import type { ChaosEnvironment } from './environment.js';

export interface Fault {
  name: string;
  /** Parts a fault ends on purpose; any other process that exits is a failure. */
  stops: WrenProcess[];
  /** Breaks, then heals; resolves at the moment healing is complete (restarted, back up). */
  run(env: ChaosEnvironment): Promise<void>;
  /** A GET that needs the faulted part: its first success after healing is recovery. */
  probe: string;
}

const SERVICES = ['user-service', 'post-service', 'notification-service'] as const;
const PROCESSES = [...SERVICES, 'api-gateway'] as const;

/** Through the gateway, a read that needs this process. */
const PROBES: Record<WrenProcess, string> = {
  'user-service': '/v1/me',
  'post-service': '/v1/timelines/home?limit=1',
  'notification-service': '/v1/notifications/unread-count',
  'api-gateway': '/v1/me',
};

/** Stops an instance with `signal` and starts it again, as a supervisor would. */
function restartWith(signal: 'SIGKILL' | 'SIGTERM', name: WrenProcess): Fault {
  return {
    name: `${signal} ${name}`,
    stops: [name],
    probe: PROBES[name],
    async run(env) {
      const instance = env.fleet.instance(name);
      instance.current.child.kill(signal);
      const exited = await Promise.race([
        instance.current.exited,
        new Promise((resolve) => setTimeout(() => resolve('hung'), 30_000)),
      ]);
      if (exited === 'hung') {
        // Recorded by the caller as an unclean stop; a supervisor would kill it too.
        instance.current.child.kill('SIGKILL');
        throw new Error(`${name} did not stop within 30 s of ${signal}`);
      }
      await instance.restart();
      await instance.ready(90_000);
    },
  };
}

const restartPostgres: Fault = {
  name: 'restart PostgreSQL',
  stops: [],
  probe: '/v1/notifications/unread-count',
  async run(env) {
    await env.stopPostgres();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await env.startPostgres();
  },
};

const terminateConnections: Fault = {
  name: 'pg_terminate_backend all',
  stops: [],
  probe: '/v1/notifications/unread-count',
  async run(env) {
    await env.terminateConnections();
  },
};

export const FAULTS: Record<string, Fault> = Object.fromEntries(
  [
    ...SERVICES.map((name) => restartWith('SIGKILL', name)),
    ...PROCESSES.map((name) => restartWith('SIGTERM', name)),
    restartPostgres,
    terminateConnections,
  ].map((fault) => [fault.name, fault]),
);

/** Every fault, in turn. */
export const FULL_SCHEDULE = Object.keys(FAULTS);

/** The short run inside `npm test`: one of each kind of process death. */
export const QUICK_SCHEDULE = ['SIGKILL post-service', 'SIGTERM api-gateway', 'SIGKILL notification-service'];
