/**
 * One chaos run: Wren as processes on a PostgreSQL of its own, a steady mixed load, the
 * faults of the schedule one after another with quiet time between them, then the audit.
 * Each fault is a separate step: one that fails is recorded, healed as a supervisor would
 * (restarting whatever died), and the run goes on to the next.
 */
import { randomBytes } from 'node:crypto';
import { audit, type Check } from './audit.js';
import { type Attempt, ChaosClient } from './client.js';
import { type ChaosEnvironment, startEnvironment } from './environment.js';
import { FAULTS } from './faults.js';
import { type ChaosUser, startLoad } from './load.js';
import { watchNotifications } from './sse-client.js';

export interface ChaosOptions {
  schedule: string[];
  users: number;
  /** Load before the first fault and between faults. */
  quietMs: number;
  /** A worker's pause between its requests. */
  pauseMs: number;
  log?: (line: string) => void;
}

export interface FaultResult {
  fault: string;
  /** Every process that should have stayed up did. */
  survivors: boolean;
  unexpectedExits: string[];
  error: string | undefined;
  /** From the start of the fault to the first successful probe after healing. */
  outageMs: number | undefined;
  /** From healed (restarted and ready, or PostgreSQL back) to the first successful probe. */
  recoveryMs: number | undefined;
  /**
   * Failed attempts the client saw from the fault's start until the next fault's (the
   * quiet load after recovery included, so late failures count too), by status.
   */
  clientErrors: Record<string, number>;
  /** Every attempt in that span. */
  attempts: number;
}

export interface ChaosResult {
  startedAt: string;
  options: Omit<ChaosOptions, 'log'>;
  faults: FaultResult[];
  load: {
    attempts: number;
    failed: number;
    byOp: Record<string, { ok: number; failed: number }>;
    givenUp: { op: string; status: number | 'deadline' }[];
  };
  audit: Check[];
  passed: boolean;
}

const RECOVERY_DEADLINE_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function register(client: ChaosClient, index: number): Promise<ChaosUser> {
  const username = `chaos${index}_${randomBytes(4).toString('hex')}`;
  const body = (await client.write('register', {
    method: 'POST',
    path: '/v1/auth/register',
    json: { username, email: `${username}@chaos.example.com`, password: `pw-${randomBytes(8).toString('hex')}` },
  })) as { account: { id: string }; tokens: { accessToken: string } } | undefined;
  if (!body) throw new Error(`could not register ${username}`);
  return { index, id: body.account.id, username, token: body.tokens.accessToken };
}

async function subscribeToPush(env: ChaosEnvironment, client: ChaosClient, user: ChaosUser): Promise<void> {
  const subscription = env.receiver.subscribe();
  const answer = await client.write('subscribe push', {
    method: 'POST',
    path: '/v1/push/web/subscriptions',
    token: user.token,
    json: { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
  });
  if (answer === undefined) throw new Error(`could not subscribe ${user.username} to Web Push`);
}

/** Watches every process; one that exits while no fault means it to is recorded and restarted. */
function supervise(env: ChaosEnvironment) {
  const meantToStop = new Set<string>();
  const exits: string[] = [];
  const restarting = new Set<string>();
  const timer = setInterval(() => {
    for (const instance of env.fleet.instances) {
      const key = `${instance.name}#${instance.index}`;
      const child = instance.current.child;
      if (child.exitCode === null && child.signalCode === null) continue;
      if (meantToStop.has(instance.name) || restarting.has(key)) continue;
      exits.push(`${key} exited (${child.exitCode ?? child.signalCode})`);
      restarting.add(key);
      void instance
        .restart()
        .then(() => instance.ready(90_000))
        .catch(() => {})
        .finally(() => restarting.delete(key));
    }
  }, 200);
  return {
    exits,
    meantToStop,
    stop: () => clearInterval(timer),
  };
}

async function firstSuccess(client: ChaosClient, path: string, token: string): Promise<number | undefined> {
  const deadline = Date.now() + RECOVERY_DEADLINE_MS;
  while (Date.now() < deadline) {
    const answer = await client.once('recovery probe', { method: 'GET', path, token });
    if (answer && answer.status < 300) return Date.now();
    await sleep(50);
  }
  return undefined;
}

function tally(attempts: Attempt[], from: number, to: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const attempt of attempts) {
    if (attempt.ok || attempt.at < from || attempt.at >= to || attempt.op === 'recovery probe') continue;
    counts[String(attempt.status)] = (counts[String(attempt.status)] ?? 0) + 1;
  }
  return counts;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => {});
  const startedAt = new Date().toISOString();
  log('starting PostgreSQL and the four processes');
  const env = await startEnvironment();
  try {
    const gatewayUrl = env.fleet.gatewayUrls[0] as string;
    const client = new ChaosClient(gatewayUrl);
    const users: ChaosUser[] = [];
    for (let i = 0; i < options.users; i++) users.push(await register(client, i));
    // Half the users get pushes; user 0 also holds a notification stream open throughout.
    const pushUsers = new Set(users.filter((user) => user.index % 2 === 0).map((user) => user.index));
    for (const index of pushUsers) await subscribeToPush(env, client, users[index] as ChaosUser);
    const watched = users[0] as ChaosUser;
    const stream = watchNotifications(gatewayUrl, () => watched.token);
    const supervisor = supervise(env);

    log(`load: ${users.length} users`);
    const load = startLoad(client, users, { pauseMs: options.pauseMs });
    await sleep(options.quietMs);
    const faults: FaultResult[] = [];
    // When each fault started; the end of the load closes the last span.
    const spans: number[] = [];
    for (const name of options.schedule) {
      const fault = FAULTS[name];
      if (!fault) throw new Error(`no fault named "${name}"; known: ${Object.keys(FAULTS).join(', ')}`);
      log(`fault: ${name}`);
      const exitsBefore = supervisor.exits.length;
      for (const part of fault.stops) supervisor.meantToStop.add(part);
      const startedFault = Date.now();
      let error: string | undefined;
      try {
        await fault.run(env);
      } catch (caught) {
        error = (caught as Error).message;
      }
      for (const part of fault.stops) supervisor.meantToStop.delete(part);
      const healed = Date.now();
      const recovered = await firstSuccess(client, fault.probe, watched.token);
      const unexpectedExits = supervisor.exits.slice(exitsBefore);
      const result: FaultResult = {
        fault: name,
        survivors: unexpectedExits.length === 0,
        unexpectedExits,
        error,
        outageMs: recovered === undefined ? undefined : recovered - startedFault,
        recoveryMs: recovered === undefined ? undefined : recovered - healed,
        clientErrors: {},
        attempts: 0,
      };
      faults.push(result);
      spans.push(startedFault);
      log(`  recovery ${result.recoveryMs ?? 'never'} ms after healing; unexpected exits: ${unexpectedExits.length}`);
      await sleep(options.quietMs);
    }

    log('stopping the load; letting deliveries settle');
    await load.stop();
    spans.push(Date.now());
    for (const [i, result] of faults.entries()) {
      const [from, to] = [spans[i] as number, spans[i + 1] as number];
      result.clientErrors = tally(client.attempts, from, to);
      result.attempts = client.attempts.filter((a) => a.at >= from && a.at < to && a.op !== 'recovery probe').length;
      log(`  ${JSON.stringify(result)}`);
    }
    const checks = await settleAndAudit(env, {
      users,
      written: load.written,
      pushUsers,
      streamed: { user: watched.index, ids: stream.ids },
    });
    stream.close();
    supervisor.stop();

    const byOp: ChaosResult['load']['byOp'] = {};
    for (const attempt of client.attempts) {
      const entry = byOp[attempt.op] ?? { ok: 0, failed: 0 };
      byOp[attempt.op] = entry;
      if (attempt.ok) entry.ok++;
      else entry.failed++;
    }
    const { log: _, ...reported } = options;
    return {
      startedAt,
      options: reported,
      faults,
      load: {
        attempts: client.attempts.length,
        failed: client.attempts.filter((a) => !a.ok).length,
        byOp,
        givenUp: client.givenUp,
      },
      audit: checks,
      passed:
        checks.every((c) => c.ok) &&
        faults.every((f) => f.survivors && f.error === undefined && f.recoveryMs !== undefined),
    };
  } finally {
    await env.close();
  }
}

/** Audits until it passes or deliveries have had time to finish; the last audit counts. */
async function settleAndAudit(
  env: ChaosEnvironment,
  input: Omit<Parameters<typeof audit>[0], 'env'>,
): Promise<Check[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const checks = await audit({ env, ...input }).catch((error: Error) => [
      { name: 'audit ran', ok: false, detail: error.message },
    ]);
    if (checks.every((c) => c.ok) || Date.now() > deadline) return checks;
    await sleep(1000);
  }
}
