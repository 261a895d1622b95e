/** The real entry point as a process: start-up refusal, readiness, SIGTERM. */
import { eventually, freePort, spawnService } from '@wren/testkit';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ScriptedUserService, startScriptedUserService } from './support/scripted-user-service.js';

let user: ScriptedUserService;
beforeAll(async () => {
  user = await startScriptedUserService();
});
afterAll(() => user?.stop());

test('a missing variable stops the start with a message naming it', async () => {
  const gateway = spawnService('api-gateway', { PORT: '0' });
  expect(await gateway.exited).toBe(1);
  expect(gateway.output()).toMatch(/USER_SERVICE_ADDR is required/);
  expect(gateway.output()).toMatch(/POST_SERVICE_ADDR is required/);
  expect(gateway.output()).toMatch(/NOTIFICATION_SERVICE_ADDR is required/);
});

test('serves, then on SIGTERM drains and exits 0', async () => {
  const port = await freePort();
  const gateway = spawnService('api-gateway', {
    HOST: '127.0.0.1',
    PORT: String(port),
    USER_SERVICE_ADDR: user.addr,
    POST_SERVICE_ADDR: user.addr,
    NOTIFICATION_SERVICE_ADDR: user.addr,
  });
  try {
    const ready = await eventually(async () => {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      return response.status === 200 && response;
    });
    expect(await ready.json()).toMatchObject({ status: 'ready' });
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    expect(gateway.output()).toContain('"msg":"stopped"');
  } finally {
    if (gateway.child.exitCode === null) gateway.child.kill('SIGKILL');
  }
});
