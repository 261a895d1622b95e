/**
 * The four processes as the deploy checks see them: the environment each one's own config
 * reader demands (it throws a ConfigError naming every missing or malformed variable), and
 * the ports it then listens on.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGatewayConfig } from '@wren/api-gateway';
import { generateVapidKeys, readNotificationServiceConfig } from '@wren/notification-service';
import { generateSigningKeySet } from '@wren/platform';
import { readPostServiceConfig } from '@wren/post-service';
import { readUserServiceConfig } from '@wren/user-service';
import { repoRoot } from './repo-root.js';

export const wrenProcesses = ['api-gateway', 'user-service', 'post-service', 'notification-service'] as const;
export type WrenProcess = (typeof wrenProcesses)[number];

/** The processes with a database, hence a migration step. */
export const databaseProcesses = ['user-service', 'post-service', 'notification-service'] as const;

export type Env = Record<string, string | undefined>;

export interface Listening {
  /** The gateway's HTTP port, or a service's gRPC port. */
  servingPort: number;
  /** /metrics and /healthz. */
  adminPort: number;
  shutdownGraceMs: number;
}

const readers: Record<WrenProcess, (env: Env) => Listening> = {
  'api-gateway': (env) => {
    const config = readGatewayConfig(env);
    return { servingPort: config.port, adminPort: config.adminPort, shutdownGraceMs: config.shutdownGraceMs };
  },
  'user-service': (env) => {
    const config = readUserServiceConfig(env);
    return { servingPort: config.grpcPort, adminPort: config.adminPort, shutdownGraceMs: config.shutdownGraceMs };
  },
  'post-service': (env) => {
    const config = readPostServiceConfig(env);
    return { servingPort: config.grpcPort, adminPort: config.adminPort, shutdownGraceMs: config.shutdownGraceMs };
  },
  'notification-service': (env) => {
    const config = readNotificationServiceConfig(env);
    return { servingPort: config.grpcPort, adminPort: config.adminPort, shutdownGraceMs: config.shutdownGraceMs };
  },
};

/** The gRPC addresses a process's environment makes it call. */
export function calledAddresses(env: Env): string[] {
  const addresses = Object.entries(env)
    .filter(([name, value]) => name.endsWith('_SERVICE_ADDR') && value)
    .map(([, value]) => value as string);
  const subscribers = (env.OUTBOX_SUBSCRIBERS ?? '').split(',').filter(Boolean);
  return [...addresses, ...subscribers.map((entry) => entry.split('=')[1] ?? entry)];
}

/** Runs the process's config reader on `env`: its ConfigError, naming each bad variable, propagates. */
export function readProcessConfig(process: WrenProcess, env: Env): Listening {
  return readers[process](env);
}

/** runMain's bound on a stop (packages/platform/src/lifecycle.ts), read from its source. */
export function stopBoundSeconds(): number {
  const source = readFileSync(join(repoRoot, 'packages/platform/src/lifecycle.ts'), 'utf8');
  const match = /stopTimeoutMs \?\? ([\d_]+)/.exec(source);
  if (!match?.[1]) throw new Error('runMain no longer has a default stopTimeoutMs; update this check');
  return Number(match[1].replaceAll('_', '')) / 1000;
}

/**
 * Valid stand-ins for the variables that come from Secrets. The manifests only name a
 * Secret; the config readers check formats (a JWK set, a VAPID pair that matches, a URL),
 * so each such variable gets a generated value of the right shape.
 */
export async function secretStandIns(): Promise<Record<string, string>> {
  const clientSecret = randomBytes(32).toString('base64url');
  const vapid = generateVapidKeys();
  return {
    DATABASE_URL: 'postgres://wren:stand-in@postgres.invalid:5432/wren',
    JWT_PRIVATE_KEYS: JSON.stringify(await generateSigningKeySet()),
    SERVICE_CLIENT_SECRET: clientSecret,
    SERVICE_CLIENTS: `post-service:${createHash('sha256').update(clientSecret).digest('hex')}`,
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
  };
}

/** The least environment each process starts with: for reading its default ports. */
export async function minimalEnv(process: WrenProcess): Promise<Env> {
  const secrets = await secretStandIns();
  const peers = { USER_SERVICE_ADDR: 'user-service:1' };
  const minimal: Record<WrenProcess, Env> = {
    'api-gateway': {
      ...peers,
      POST_SERVICE_ADDR: 'post-service:1',
      NOTIFICATION_SERVICE_ADDR: 'notification-service:1',
    },
    'user-service': { DATABASE_URL: secrets.DATABASE_URL, JWT_PRIVATE_KEYS: secrets.JWT_PRIVATE_KEYS },
    'post-service': { ...peers, DATABASE_URL: secrets.DATABASE_URL },
    'notification-service': {
      ...peers,
      DATABASE_URL: secrets.DATABASE_URL,
      VAPID_PUBLIC_KEY: secrets.VAPID_PUBLIC_KEY,
      VAPID_PRIVATE_KEY: secrets.VAPID_PRIVATE_KEY,
      VAPID_SUBJECT: 'mailto:ops@example.com',
    },
  };
  return minimal[process];
}
