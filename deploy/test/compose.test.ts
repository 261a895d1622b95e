/**
 * deploy/compose.yaml checked offline with Debian's docker-compose (`config`, no engine),
 * fed the env file deploy/make-compose-env.ts prints: it validates; each process gets an
 * environment its config reader accepts, with real generated secrets; healthchecks, start
 * order and addresses match what the processes listen on; and the PostgreSQL init script
 * makes a database and role per service on a real (embedded) PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@wren/platform/embedded-postgres';
import { freePort } from '@wren/testkit';
import pg from 'pg';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  type ComposeService,
  dockerCompose,
  emptyEnvFile,
  makeComposeEnv,
  resolvedCompose,
} from './support/compose.js';
import { repoRoot } from './support/repo-root.js';
import {
  calledAddresses,
  databaseProcesses,
  readProcessConfig,
  type WrenProcess,
  wrenProcesses,
} from './support/wren-processes.js';

const observability = ['jaeger', 'prometheus', 'grafana'];
const migration = (process: WrenProcess) => `${process}-migrate`;

let envFile: { path: string; values: Record<string, string> };
let services: Record<string, ComposeService>;
beforeAll(() => {
  envFile = makeComposeEnv();
  services = resolvedCompose(envFile.path).services;
});

const service = (name: string) => {
  const found = services[name];
  if (!found) throw new Error(`no compose service ${name}`);
  return found;
};
const envOf = (name: string) => service(name).environment ?? {};

test('validates with the generated env file (docker-compose config -q)', () => {
  const result = dockerCompose(envFile.path, ['config', '-q']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});

test('without the env file, compose refuses to start and says how to make it', () => {
  const result = dockerCompose(emptyEnvFile(), ['config', '-q']);
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/POSTGRES_PASSWORD[\s\S]*make deploy\/\.env with deploy\/make-compose-env\.ts/);
});

test('has PostgreSQL, a migration per database, the four processes, Redis and the observability stack', () => {
  expect(Object.keys(services).sort()).toEqual(
    ['postgres', ...databaseProcesses.map(migration), ...wrenProcesses, 'redis', ...observability].sort(),
  );
  expect(service('postgres').healthcheck?.test).toEqual(expect.arrayContaining(['pg_isready']));
});

describe.each(wrenProcesses)('%s', (process) => {
  test('gets an environment its config reader accepts', () => {
    // A ConfigError names every missing or malformed variable.
    expect(readProcessConfig(process, envOf(process)).servingPort).toBeGreaterThan(0);
  });

  test('is health-checked on its admin port’s /healthz, and traced under its own name', () => {
    const { adminPort } = readProcessConfig(process, envOf(process));
    expect(service(process).healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${adminPort}/healthz`);
    expect(envOf(process)).toMatchObject({
      OTEL_SERVICE_NAME: process,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
    });
  });

  test('runs its own image target on a read-only filesystem with a writable /tmp', () => {
    expect(service(process).build?.target).toBe(process);
    expect(service(process).read_only).toBe(true);
    expect(service(process).tmpfs).toContain('/tmp');
  });

  test('calls other processes on the ports they listen on', () => {
    for (const address of calledAddresses(envOf(process))) {
      const [host = '', port] = address.split(':');
      expect(wrenProcesses as readonly string[]).toContain(host);
      expect(readProcessConfig(host as WrenProcess, envOf(host)).servingPort, address).toBe(Number(port));
    }
  });
});

test('start order: PostgreSQL healthy → migrations done → services healthy → gateway', () => {
  for (const process of databaseProcesses) {
    expect(service(migration(process)).depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(service(process).depends_on).toEqual({
      [migration(process)]: { condition: 'service_completed_successfully' },
    });
    expect(envOf(process).MIGRATE_ON_START).toBe('false');
  }
  expect(service('api-gateway').depends_on).toEqual(
    Object.fromEntries([...databaseProcesses, 'redis'].map((p) => [p, { condition: 'service_healthy' }])),
  );
});

test('the gateway keeps its rate-limit counts in the Redis service, which is health-checked and keeps nothing', () => {
  const url = new URL(envOf('api-gateway').RATE_LIMIT_REDIS_URL ?? '');
  expect(url.protocol).toBe('redis:');
  expect(Object.keys(services)).toContain(url.hostname);
  const redis = service(url.hostname);
  expect(redis.command?.[0]).toBe('redis-server');
  // redis-server's own port: the command sets no other.
  expect(Number(url.port || 6379)).toBe(6379);
  expect(redis.command).not.toContain('--port');
  expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  expect(redis.command?.join(' ')).toContain('--appendonly no');
  expect(redis.read_only).toBe(true);
});

test.each(databaseProcesses)('%s-migrate runs migrate.ts from the service’s image on its database', (process) => {
  const step = service(migration(process));
  const script = step.command?.at(-1) ?? '';
  expect(step.command).toEqual(['node', '--import', 'tsx', `services/${process}/src/migrate.ts`]);
  expect(existsSync(join(repoRoot, script))).toBe(true);
  expect(step.build).toEqual(service(process).build);
  expect(step.image).toBe(service(process).image);
  expect(step.environment?.DATABASE_URL).toBe(envOf(process).DATABASE_URL);
});

test.each(databaseProcesses)('%s logs in as the role the init script makes for its database', (process) => {
  const url = new URL(envOf(process).DATABASE_URL ?? '');
  const database = url.pathname.slice(1);
  const passwordVariable = `WREN_${database.replace(/^wren_/, '').toUpperCase()}_DB_PASSWORD`;
  expect(url.host).toBe('postgres:5432');
  expect(url.username).toBe(database);
  expect(url.password).toBe(envOf('postgres')[passwordVariable]);
});

test('every file compose mounts exists', () => {
  const binds = Object.values(services).flatMap((s) => (s.volumes ?? []).filter((v) => v.startsWith('/')));
  expect(binds.length).toBeGreaterThanOrEqual(5);
  for (const bind of binds) expect(existsSync(bind.split(':')[0] ?? ''), bind).toBe(true);
});

describe('deploy/postgres/init-databases.sh', () => {
  test('makes each database owned by its own role, closed to the other roles', async () => {
    expect(spawnSync('psql', ['--version']).status, 'psql (postgresql-client) is needed').toBe(0);
    const dataDir = mkdtempSync(join(tmpdir(), 'wren-compose-pg-'));
    const port = await freePort();
    const postgres = await startEmbeddedPostgres({ dataDir, port, ephemeral: true });
    try {
      const passwords = Object.fromEntries(
        ['USERS', 'POSTS', 'NOTIFICATIONS'].map((name) => [`WREN_${name}_DB_PASSWORD`, `pw-${name}`]),
      );
      const script = spawnSync('bash', [join(repoRoot, 'deploy/postgres/init-databases.sh')], {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          PGHOST: '127.0.0.1',
          PGPORT: String(port),
          POSTGRES_USER: 'postgres',
          ...passwords,
        },
      });
      expect(script.stderr).toBe('');
      expect(script.status).toBe(0);

      const connect = async (role: string, database: string) => {
        const client = new pg.Client({ connectionString: `postgres://${role}@127.0.0.1:${port}/${database}` });
        await client.connect();
        return client;
      };
      for (const database of ['wren_users', 'wren_posts', 'wren_notifications']) {
        const owner = await connect(database, database);
        // What a migration does first: create a table in the public schema.
        await owner.query('CREATE TABLE migration_probe (id int)');
        await owner.end();
      }
      await expect(connect('wren_posts', 'wren_users')).rejects.toThrow(/permission denied/);
    } finally {
      await postgres.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
