/**
 * The whole system as real OS processes on fresh databases of the test PostgreSQL: one
 * instance of each process, or `replicas` of every one (all sharing the three databases).
 */
import { createTestDatabase } from './databases.js';
import { type Fleet, type FleetDatabases, startFleet } from './process-fleet.js';
import type { WrenProcess } from './system.js';

type Env = Record<string, string>;

export interface ProcessSystem {
  /** The first gateway's URL. */
  gatewayUrl: string;
  /** The first instance's metrics, per process. */
  metricsUrls: Record<WrenProcess, string>;
  databases: FleetDatabases;
  fleet: Fleet;
  /** Everything the processes printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startSystemAsProcesses(
  options: { env?: Env; gatewayEnv?: Env; replicas?: number } = {},
): Promise<ProcessSystem> {
  const databases: FleetDatabases = {
    users: await createTestDatabase('users'),
    posts: await createTestDatabase('posts'),
    notifications: await createTestDatabase('notifications'),
  };
  const fleet = await startFleet({ databases, ...options });
  const metricsUrls = Object.fromEntries(
    fleet.instances.filter((part) => part.index === 0).map((part) => [part.name, `${part.adminUrl}/metrics`]),
  ) as Record<WrenProcess, string>;
  return {
    gatewayUrl: fleet.gatewayUrls[0] as string,
    metricsUrls,
    databases,
    fleet,
    output: fleet.output,
    stop: fleet.stop,
  };
}
