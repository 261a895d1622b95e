import { createTestDatabase } from './databases.js';
import { freePort } from './free-port.js';
import { testSigningKeys } from './keys.js';
import { eventually, type ServiceProcess, spawnService } from './process.js';
import type { WrenProcess } from './system.js';
import { systemWiring } from './wiring.js';

type Env = Record<string, string>;

export interface ProcessSystem {
  gatewayUrl: string;
  metricsUrls: Record<WrenProcess, string>;
  /** Everything the processes printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function startSystemAsProcesses(options: { env?: Env } = {}): Promise<ProcessSystem> {
  const ports = {
    user: await freePort(),
    post: await freePort(),
    notification: await freePort(),
    gateway: await freePort(),
  };
  const admin: Record<WrenProcess, number> = {
    'api-gateway': await freePort(),
    'user-service': await freePort(),
    'post-service': await freePort(),
    'notification-service': await freePort(),
  };
  const wiring = systemWiring({
    user: `127.0.0.1:${ports.user}`,
    post: `127.0.0.1:${ports.post}`,
    notification: `127.0.0.1:${ports.notification}`,
  });
  const common: Env = { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', GRPC_HOST: '127.0.0.1', ...options.env };
  const envs: [WrenProcess, Env][] = [
    [
      'user-service',
      {
        ...common,
        GRPC_PORT: String(ports.user),
        DATABASE_URL: await createTestDatabase('users'),
        JWT_PRIVATE_KEYS: JSON.stringify(await testSigningKeys()),
        ...wiring.user,
      },
    ],
    [
      'post-service',
      {
        ...common,
        GRPC_PORT: String(ports.post),
        DATABASE_URL: await createTestDatabase('posts'),
        ...wiring.post,
      },
    ],
    [
      'notification-service',
      {
        ...common,
        GRPC_PORT: String(ports.notification),
        DATABASE_URL: await createTestDatabase('notifications'),
        ...wiring.notification,
        PUSH_POLL_INTERVAL_MS: '50',
      },
    ],
    [
      'api-gateway',
      {
        ...common,
        HOST: '127.0.0.1',
        PORT: String(ports.gateway),
        ...wiring.gateway,
        RATE_LIMIT_MAX: '10000',
        RATE_LIMIT_AUTH_MAX: '1000',
      },
    ],
  ];
  const running: ServiceProcess[] = [];
  const output = () => running.map((part) => part.output()).join('\n');
  const stop = async () => {
    for (const part of running.reverse()) {
      if (part.child.exitCode === null) part.child.kill('SIGTERM');
      await part.exited;
    }
  };
  try {
    for (const [name, env] of envs) running.push(spawnService(name, { ...env, ADMIN_PORT: String(admin[name]) }));
    const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    await eventually(async () => {
      const exited = running.find((part) => part.child.exitCode !== null);
      if (exited) throw new Error(`a process exited:\n${output()}`);
      return (await fetch(`${gatewayUrl}/readyz`)).ok;
    }, 30_000);
    const metricsUrls = Object.fromEntries(
      Object.entries(admin).map(([name, port]) => [name, `http://127.0.0.1:${port}/metrics`]),
    ) as Record<WrenProcess, string>;
    return { gatewayUrl, metricsUrls, output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output()}`);
  }
}
