/**
 * Wren as real OS processes: the four entry points, each as one or more replicas, on given
 * databases. Each instance keeps its ports and environment, so it can be killed and started
 * again as the same replica (what a supervisor would do). Used by the tests that need
 * processes (`startSystemAsProcesses`) and by the chaos harness, which runs outside vitest
 * and so brings its own PostgreSQL.
 */
import { freePort } from './free-port.js';
import { testSigningKeys } from './keys.js';
import { type ServiceProcess, spawnService } from './process.js';
import type { WrenProcess } from './system.js';
import { systemWiring } from './wiring.js';

type Env = Record<string, string>;

export interface FleetDatabases {
  users: string;
  posts: string;
  notifications: string;
}

export interface FleetOptions {
  databases: FleetDatabases;
  /** Instances of every process; 1 unless set. */
  replicas?: number;
  /** For every process. */
  env?: Env;
  /** For the gateways only, after the defaults (e.g. rate limits). */
  gatewayEnv?: Env;
}

export interface FleetInstance {
  name: WrenProcess;
  /** 0-based, among the replicas of `name`. */
  index: number;
  /** The gRPC port of a service, the HTTP port of a gateway. */
  port: number;
  adminUrl: string;
  /** The running (or last) OS process. */
  current: ServiceProcess;
  /** Starts the instance again, same ports and environment, once its process has ended. */
  restart(): Promise<void>;
  /** Resolves once the instance is ready (a gateway: once its backends are, too). */
  ready(timeoutMs?: number): Promise<void>;
}

export interface Fleet {
  /** One URL per gateway replica. */
  gatewayUrls: string[];
  instances: FleetInstance[];
  /** The gateway's variables naming the services, for a gateway started elsewhere. */
  serviceTargets: Record<string, string>;
  instance(name: WrenProcess, index?: number): FleetInstance;
  /** Everything every process printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const ORDER: WrenProcess[] = ['user-service', 'post-service', 'notification-service', 'api-gateway'];

/** A grpc-js target for a set of local ports: one address, or a list the client round-robins. */
function target(ports: number[]): string {
  const addresses = ports.map((port) => `127.0.0.1:${port}`);
  return addresses.length === 1 ? (addresses[0] as string) : `ipv4:${addresses.join(',')}`;
}

async function ports(count: number): Promise<number[]> {
  const found: number[] = [];
  for (let i = 0; i < count; i++) found.push(await freePort());
  return found;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const replicas = options.replicas ?? 1;
  const grpcPorts = {
    user: await ports(replicas),
    post: await ports(replicas),
    notification: await ports(replicas),
  };
  const wiring = systemWiring({
    user: target(grpcPorts.user),
    post: target(grpcPorts.post),
    notification: target(grpcPorts.notification),
  });
  const common: Env = { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', GRPC_HOST: '127.0.0.1', ...options.env };
  const signingKeys = JSON.stringify(await testSigningKeys());
  const envFor = (name: WrenProcess, port: number): Env => {
    switch (name) {
      case 'user-service':
        return {
          ...common,
          GRPC_PORT: String(port),
          DATABASE_URL: options.databases.users,
          JWT_PRIVATE_KEYS: signingKeys,
          ...wiring.user,
        };
      case 'post-service':
        return { ...common, GRPC_PORT: String(port), DATABASE_URL: options.databases.posts, ...wiring.post };
      case 'notification-service':
        return {
          ...common,
          GRPC_PORT: String(port),
          DATABASE_URL: options.databases.notifications,
          ...wiring.notification,
          PUSH_POLL_INTERVAL_MS: '50',
        };
      case 'api-gateway':
        return {
          ...common,
          HOST: '127.0.0.1',
          PORT: String(port),
          ...wiring.gateway,
          RATE_LIMIT_MAX: '10000',
          RATE_LIMIT_AUTH_MAX: '1000',
          ...options.gatewayEnv,
        };
    }
  };
  const portsOf: Record<WrenProcess, number[]> = {
    'user-service': grpcPorts.user,
    'post-service': grpcPorts.post,
    'notification-service': grpcPorts.notification,
    'api-gateway': await ports(replicas),
  };

  const instances: FleetInstance[] = [];
  const output = () => instances.map((part) => `[${part.name}#${part.index}]\n${part.current.output()}`).join('\n');
  const stop = async () => {
    for (const part of [...instances].reverse()) {
      if (part.current.child.exitCode === null && part.current.child.signalCode === null) {
        part.current.child.kill('SIGTERM');
      }
      await part.current.exited;
    }
  };
  try {
    for (const name of ORDER) {
      for (const [index, port] of portsOf[name].entries()) {
        const env = { ...envFor(name, port), ADMIN_PORT: String(await freePort()) };
        const adminUrl = `http://127.0.0.1:${env.ADMIN_PORT}`;
        // A gateway is ready when its backends are: its public /readyz asks them.
        const readyUrl = name === 'api-gateway' ? `http://127.0.0.1:${port}/readyz` : `${adminUrl}/readyz`;
        const instance: FleetInstance = {
          name,
          index,
          port,
          adminUrl,
          current: spawnService(name, env),
          async restart() {
            await instance.current.exited;
            instance.current = spawnService(name, env);
          },
          async ready(timeoutMs = 90_000) {
            // Fails at once when the process exits: waiting out the timeout would tell nothing more.
            const watched = instance.current;
            const deadline = Date.now() + timeoutMs;
            while (Date.now() < deadline) {
              if (watched.child.exitCode !== null || watched.child.signalCode !== null) {
                throw new Error(`${name}#${index} exited:\n${watched.output()}`);
              }
              const ok = await fetch(readyUrl, { signal: AbortSignal.timeout(2000) }).then(
                (response) => response.ok,
                () => false,
              );
              if (ok) return;
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
            throw new Error(`${name}#${index} not ready within ${timeoutMs} ms`);
          },
        };
        instances.push(instance);
      }
    }
    await Promise.all(instances.map((instance) => instance.ready()));
    return {
      gatewayUrls: portsOf['api-gateway'].map((port) => `http://127.0.0.1:${port}`),
      instances,
      serviceTargets: wiring.gateway,
      instance(name, index = 0) {
        const found = instances.find((part) => part.name === name && part.index === index);
        if (!found) throw new Error(`no ${name}#${index}`);
        return found;
      },
      output,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output()}`);
  }
}
