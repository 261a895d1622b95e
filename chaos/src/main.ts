/**
 * `npm run chaos`: the whole fault schedule against Wren as processes, then the audit.
 * Options: `--quick` (the short schedule of `npm test`), `--faults "a,b"` (names from
 * faults.ts), `--quiet-ms N`, `--users N`, `--out DIR` (default chaos/results).
 * Exits 1 when a fault was not survived or the audit found a difference.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FULL_SCHEDULE, QUICK_SCHEDULE } from './faults.js';
import { markdownReport, writeReport } from './report.js';
import { runChaos } from './run-chaos.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    faults: { type: 'string' },
    'quiet-ms': { type: 'string', default: '5000' },
    users: { type: 'string', default: '6' },
    out: { type: 'string', default: resolve(import.meta.dirname, '..', 'results') },
  },
});

const schedule = values.faults
  ? values.faults.split(',').map((name) => name.trim())
  : values.quick
    ? QUICK_SCHEDULE
    : FULL_SCHEDULE;
const result = await runChaos({
  schedule,
  users: Number(values.users),
  quietMs: Number(values['quiet-ms']),
  pauseMs: 100,
  log: (line) => console.error(line),
});
const name = `${result.startedAt.slice(0, 19).replaceAll(':', '-')}-${values.quick ? 'quick' : 'full'}`;
const written = await writeReport(result, values.out, name);
console.log(markdownReport(result));
console.error(`report: ${written.join(', ')}`);
process.exit(result.passed ? 0 : 1);
