/** Debian's docker-compose (v1.29, `config` only: no Docker engine) and the compose env file. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './repo-root.js';

export const composeFile = join(repoRoot, 'deploy', 'compose.yaml');

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  read_only?: boolean;
  tmpfs?: string[];
}

export interface ComposeResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs docker-compose with nothing from this process's environment, so only the env file counts. */
export function dockerCompose(envFile: string, args: string[]): ComposeResult {
  const result = spawnSync('docker-compose', ['-f', composeFile, '--env-file', envFile, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `docker-compose config`: the file with the env file interpolated and anchors merged. */
export function resolvedCompose(envFile: string): { services: Record<string, ComposeService> } {
  const result = dockerCompose(envFile, ['config']);
  if (result.status !== 0) throw new Error(`docker-compose config failed:\n${result.stderr}`);
  return parse(result.stdout);
}

/** deploy/make-compose-env.ts, run as documented; returns the file it printed and its values. */
export function makeComposeEnv(): { path: string; values: Record<string, string> } {
  const text = execFileSync(process.execPath, ['--import', 'tsx', 'deploy/make-compose-env.ts'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const path = join(mkdtempSync(join(tmpdir(), 'wren-compose-')), '.env');
  writeFileSync(path, text, { mode: 0o600 });
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(?:'(.*)'|(.*))$/.exec(line);
    if (match?.[1]) values[match[1]] = match[2] ?? match[3] ?? '';
  }
  return { path, values };
}

export function emptyEnvFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'wren-compose-')), '.env');
  writeFileSync(path, '');
  return path;
}
