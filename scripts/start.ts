/**
 * `npm start`: the whole of Wren on this machine. Starts an embedded PostgreSQL under
 * WREN_DATA_DIR unless DATABASE_URL is set, creates a database per service, makes a JWT
 * signing key on first run, starts the three services and the gateway as child processes,
 * and waits until the gateway is ready. Ctrl-C (or SIGTERM) stops everything cleanly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateVapidKeys, type VapidKeys } from '@wren/notification-service';
import { databaseUrl, ensureDatabase, generateSigningKeySet, isProcessAlive } from '@wren/platform';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@wren/platform/embedded-postgres';

const root = resolve(import.meta.dirname, '..');
if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));

const started = performance.now();
const env = process.env;
const dataDir = resolve(root, env.WREN_DATA_DIR ?? '.data');
const say = (message: string) => console.log(`[wren] ${message}`);

interface ServiceSpec {
  name: string;
  database?: string;
  env: Record<string, string>;
}

const ports = {
  gateway: env.PORT ?? '8080',
  user: env.USER_SERVICE_PORT ?? '50051',
  post: env.POST_SERVICE_PORT ?? '50052',
  notification: env.NOTIFICATION_SERVICE_PORT ?? '50053',
};
// The admin ports (/metrics, /healthz, /readyz): gateway, user-, post-, notification-service.
// A base of 0 gives each a free port (two runs on one machine, e.g. benchmarks).
const adminPortBase = Number(env.WREN_ADMIN_PORT_BASE ?? 9460);
const adminPort = (offset: number) => (adminPortBase === 0 ? '0' : String(adminPortBase + offset));

/** One `npm start` per data directory; a lock left by a crashed run is taken over. */
async function takeLock(): Promise<string> {
  const lock = join(dataDir, 'wren.pid');
  if (existsSync(lock)) {
    const pid = Number(await readFile(lock, 'utf8'));
    if (pid !== process.pid && isProcessAlive(pid)) {
      throw new Error(`Wren is already running from ${dataDir} (pid ${pid}); stop it first`);
    }
  }
  await writeFile(lock, String(process.pid));
  return lock;
}

/**
 * A secret of this installation: made on first run, kept (mode 0600) under
 * WREN_DATA_DIR/secrets and read back on every later start.
 */
async function keptSecret(name: string, what: string, make: () => Promise<string> | string): Promise<string> {
  const file = join(dataDir, 'secrets', name);
  if (!existsSync(file)) {
    await mkdir(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
    await writeFile(file, await make(), { mode: 0o600 });
    await chmod(file, 0o600);
    say(`made ${what}: ${file}`);
  }
  return (await readFile(file, 'utf8')).trim();
}

/** The client secret post-service proves itself with to user-service. */
async function postServiceClientSecret(): Promise<string> {
  return (
    env.POST_SERVICE_CLIENT_SECRET ||
    keptSecret('post-service-client-secret', 'a service client secret', () => randomBytes(32).toString('base64url'))
  );
}

/** VAPID keys for Web Push: VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY, else a kept pair. */
async function vapidKeys(): Promise<VapidKeys> {
  if (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY) {
    return { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY };
  }
  const kept = await keptSecret('vapid-keys.json', 'a VAPID key pair', () => JSON.stringify(generateVapidKeys()));
  return JSON.parse(kept) as VapidKeys;
}

/** The JWT signing keys: JWT_PRIVATE_KEYS, else a kept key set. */
async function signingKeys(): Promise<string> {
  return (
    env.JWT_PRIVATE_KEYS ||
    keptSecret('jwt-private-keys.json', 'a JWT signing key', async () => JSON.stringify(await generateSigningKeySet()))
  );
}

async function waitUntilReady(url: string, children: ChildProcess[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (children.some((child) => child.exitCode !== null)) throw new Error('a service exited during start');
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not ready after ${timeoutMs / 1000} s: ${url}`);
}

async function main(): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const lock = await takeLock();
  let postgres: EmbeddedPostgres | undefined;
  const children: ChildProcess[] = [];
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    const timer = setTimeout(() => {
      for (const child of children) child.kill('SIGKILL');
    }, 20_000);
    // In the reverse of the start order (gateway first, user-service last), so that no
    // process loses a backend it still calls while draining, and none logs about it.
    for (const child of [...children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    clearTimeout(timer);
    await postgres?.stop();
    await rm(lock, { force: true });
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    let serverUrl = env.DATABASE_URL;
    if (!serverUrl) {
      const port = Number(env.WREN_POSTGRES_PORT ?? 54329);
      say(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${join(dataDir, 'postgres')})`);
      postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port, announce: say });
      serverUrl = postgres.adminUrl;
    }

    const keys = await signingKeys();
    const postSecret = await postServiceClientSecret();
    const vapid = await vapidKeys();
    const local = (port: string) => `127.0.0.1:${port}`;
    const services: ServiceSpec[] = [
      {
        name: 'user-service',
        database: 'wren_users',
        env: {
          GRPC_PORT: ports.user,
          ADMIN_PORT: adminPort(1),
          JWT_PRIVATE_KEYS: keys,
          OUTBOX_SUBSCRIBERS: `post-service=${local(ports.post)},notification-service=${local(ports.notification)}`,
          SERVICE_CLIENTS: `post-service:${createHash('sha256').update(postSecret).digest('hex')}`,
        },
      },
      {
        name: 'post-service',
        database: 'wren_posts',
        env: {
          GRPC_PORT: ports.post,
          ADMIN_PORT: adminPort(2),
          OUTBOX_SUBSCRIBERS: `notification-service=${local(ports.notification)}`,
          SERVICE_CLIENT_SECRET: postSecret,
        },
      },
      {
        name: 'notification-service',
        database: 'wren_notifications',
        env: {
          GRPC_PORT: ports.notification,
          ADMIN_PORT: adminPort(3),
          VAPID_PUBLIC_KEY: vapid.publicKey,
          VAPID_PRIVATE_KEY: vapid.privateKey,
          VAPID_SUBJECT: env.VAPID_SUBJECT ?? 'mailto:admin@localhost',
        },
      },
      {
        name: 'api-gateway',
        env: {
          PORT: ports.gateway,
          ADMIN_PORT: adminPort(0),
          POST_SERVICE_ADDR: local(ports.post),
          NOTIFICATION_SERVICE_ADDR: local(ports.notification),
        },
      },
    ];
    for (const service of services) {
      if (service.database) await ensureDatabase(serverUrl, service.database);
    }

    for (const service of services) {
      // WREN_NODE_ARGS passes flags to every service's node, e.g. `--cpu-prof` for profiling.
      const nodeArgs = (env.WREN_NODE_ARGS ?? '').split(' ').filter(Boolean);
      const main = join('services', service.name, 'src', 'main.ts');
      const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', main], {
        cwd: root,
        // Own process group: Ctrl-C reaches only this launcher, which then stops the
        // children in order; the IPC channel stops them if the launcher itself dies.
        detached: true,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: {
          ...env,
          GRPC_HOST: '127.0.0.1',
          USER_SERVICE_ADDR: local(ports.user),
          ...(service.database ? { DATABASE_URL: databaseUrl(serverUrl, service.database) } : {}),
          ...service.env,
        },
      });
      child.on('exit', (code, signal) => {
        if (!stopping) {
          say(`${service.name} exited (${signal ?? code}); stopping the rest`);
          void stop(1);
        }
      });
      children.push(child);
    }

    const gateway = `http://localhost:${ports.gateway}`;
    await waitUntilReady(`http://127.0.0.1:${ports.gateway}/readyz`, children, 60_000);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    say(`ready in ${seconds} s`);
    say(`API:      ${gateway}/v1`);
    say(`API docs: ${gateway}/docs (OpenAPI: ${gateway}/openapi.json)`);
    say('Ctrl-C stops everything');
  } catch (error) {
    console.error(`[wren] ${(error as Error).message}`);
    await stop(1);
  }
}

await main().catch((error: Error) => {
  console.error(`[wren] ${error.message}`);
  process.exit(1);
});
