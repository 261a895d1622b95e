/**
 * The short chaos run of `npm test`: Wren as processes under load, one SIGKILLed service, a
 * SIGTERMed gateway and another SIGKILLed service, each restarted; then the audit. Fails if a
 * process that should have lived died, a part did not come back, or a write or
 * notification was lost or doubled.
 */
import { expect, test } from 'vitest';
import { QUICK_SCHEDULE } from '../src/faults.js';
import { markdownReport } from '../src/report.js';
import { runChaos } from '../src/run-chaos.js';

test('under load, each fault of the quick schedule is survived and nothing is lost or doubled', async () => {
  const result = await runChaos({ schedule: QUICK_SCHEDULE, users: 4, quietMs: 2000, pauseMs: 100 });
  const report = markdownReport(result);
  for (const fault of result.faults) {
    expect(fault.unexpectedExits, report).toEqual([]);
    expect(fault.error, report).toBeUndefined();
    expect(fault.recoveryMs, report).toBeDefined();
  }
  for (const check of result.audit) expect(check.ok, `${check.name}: ${check.detail}\n${report}`).toBe(true);
  // The load really ran through the faults: writes of every kind were acknowledged.
  expect(result.load.byOp['create post']?.ok, report).toBeGreaterThan(0);
  expect(result.load.byOp['create comment']?.ok, report).toBeGreaterThan(0);
  expect(result.load.byOp.like?.ok, report).toBeGreaterThan(0);
  expect(result.passed, report).toBe(true);
}, 480_000);
