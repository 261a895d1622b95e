import { readGatewayConfig, startGateway } from '@wren/api-gateway';
import { readNotificationServiceConfig, startNotificationService } from '@wren/notification-service';
import { createClientPool, createLogger } from '@wren/platform';
import { readPostServiceConfig, startPostService } from '@wren/post-service';
import { HealthDefinition } from 'nice-grpc-server-health';
import { createTestDatabase } from './databases.js';
import { freePort } from './free-port.js';
import { eventually, type ServiceProcess, spawnService } from './process.js';
import { startUserServiceForTest, testEnv } from './user-service.js';
import { systemWiring } from './wiring.js';

type Env = Record<string, string | undefined>;

export interface SystemOptions {
  /** Extra environment for every part (e.g. LOG_LEVEL). */
  env?: Env;
  /** Extra environment for the gateway only (rate limits, CORS). */
  gatewayEnv?: Env;
  userServiceEnv?: Env;
  /** Extra environment for notification-service only (push peers, delivery timings). */
  notificationServiceEnv?: Env;
  /**
   * Run notification-service as its own process (its real entry point), so that a test can
   * kill it with SIGKILL and start it again; `notificationProcess` then controls it.
   */
  notificationServiceAsProcess?: boolean;
  /**
   * user-service's events never reach post-service (notification-service still gets them),
   * as if its event intake lagged for good: post-service knows users only by asking.
   */
  withholdUserEventsFromPostService?: boolean;
}

export type WrenProcess = 'api-gateway' | 'user-service' | 'post-service' | 'notification-service';

export interface ProcessControl {
  kill(signal: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

export interface TestSystem {
  gatewayUrl: string;
  userServiceAddr: string;
  postServiceAddr: string;
  notificationServiceAddr: string;
  userDatabaseUrl: string;
  /** `/metrics` of each part (their admin ports). */
  metricsUrls: Record<WrenProcess, string>;
  notificationProcess?: ProcessControl;
  stop(): Promise<void>;
}

/** notification-service as a child process, started and stopped on demand. */
async function notificationServiceProcess(env: Env, address: string): Promise<ProcessControl> {
  const clients = createClientPool({ defaultDeadlineMs: 1000 });
  const health = clients.client(HealthDefinition, address);
  const defined = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
  let current: ServiceProcess | undefined;
  const control: ProcessControl = {
    async start() {
      const started = spawnService('notification-service', defined);
      current = started;
      await eventually(async () => {
        if (started.child.exitCode !== null) throw new Error(`notification-service exited:\n${started.output()}`);
        return (await health.check({ service: '' })).status === 1;
      }, 30_000);
    },
    async kill(signal) {
      const running = current;
      current = undefined;
      if (!running || running.child.exitCode !== null) return;
      running.child.kill(signal);
      await running.exited;
      if (signal === 'SIGTERM') clients.close();
    },
  };
  await control.start();
  return control;
}

export async function startSystem(options: SystemOptions = {}): Promise<TestSystem> {
  const started: { stop(): Promise<void> }[] = [];
  try {
    // Ports are chosen first: the producers' outbox relays deliver to the consumers.
    const userPort = await freePort();
    const postPort = await freePort();
    const notificationPort = await freePort();
    // Fixed in advance: a notification-service process restarted by a test keeps its address.
    const notificationAdminPort = await freePort();
    const wiring = systemWiring({
      user: `127.0.0.1:${userPort}`,
      post: `127.0.0.1:${postPort}`,
      notification: `127.0.0.1:${notificationPort}`,
    });
    const userWiring = options.withholdUserEventsFromPostService
      ? { ...wiring.user, OUTBOX_SUBSCRIBERS: `notification-service=127.0.0.1:${notificationPort}` }
      : wiring.user;
    const user = await startUserServiceForTest({
      env: { GRPC_PORT: String(userPort), ...userWiring, ...options.env, ...options.userServiceEnv },
    });
    started.push(user.service);
    const common = { ...testEnv, GRPC_HOST: '127.0.0.1', ...options.env };

    const postConfig = readPostServiceConfig({
      ...common,
      ...wiring.post,
      GRPC_PORT: String(postPort),
      DATABASE_URL: await createTestDatabase('posts'),
    });
    const post = await startPostService(postConfig, createLogger('post-service', postConfig.logLevel));
    started.push(post);

    const notificationEnv: Env = {
      ...common,
      ...wiring.notification,
      GRPC_PORT: String(notificationPort),
      ADMIN_PORT: String(notificationAdminPort),
      ...options.notificationServiceEnv,
      DATABASE_URL: await createTestDatabase('notifications'),
    };
    let notificationProcess: ProcessControl | undefined;
    if (options.notificationServiceAsProcess) {
      notificationProcess = await notificationServiceProcess(notificationEnv, `127.0.0.1:${notificationPort}`);
      const control = notificationProcess;
      started.push({ stop: () => control.kill('SIGTERM') });
    } else {
      const notificationConfig = readNotificationServiceConfig(notificationEnv);
      started.push(
        await startNotificationService(
          notificationConfig,
          createLogger('notification-service', notificationConfig.logLevel),
        ),
      );
    }

    const gatewayConfig = readGatewayConfig({
      ...testEnv,
      HOST: '127.0.0.1',
      PORT: '0',
      ADMIN_HOST: '127.0.0.1',
      ADMIN_PORT: '0',
      ...wiring.gateway,
      ...options.env,
      ...options.gatewayEnv,
    });
    const gateway = await startGateway(gatewayConfig);
    started.push(gateway);

    return {
      gatewayUrl: gateway.url,
      userServiceAddr: user.addr,
      postServiceAddr: `127.0.0.1:${post.port}`,
      notificationServiceAddr: `127.0.0.1:${notificationPort}`,
      ...(notificationProcess ? { notificationProcess } : {}),
      userDatabaseUrl: user.databaseUrl,
      metricsUrls: {
        'api-gateway': `http://127.0.0.1:${gateway.adminPort}/metrics`,
        'user-service': `http://127.0.0.1:${user.service.adminPort}/metrics`,
        'post-service': `http://127.0.0.1:${post.adminPort}/metrics`,
        'notification-service': `http://127.0.0.1:${notificationAdminPort}/metrics`,
      },
      async stop() {
        for (const part of started.reverse()) await part.stop();
      },
    };
  } catch (error) {
    for (const part of started.reverse()) await part.stop().catch(() => {});
    throw error;
  }
}
