/** The chaos run's report: the result as JSON, and a Markdown summary for people. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChaosResult } from './run-chaos.js';

const ms = (value: number | undefined) => (value === undefined ? 'never' : `${(value / 1000).toFixed(1)} s`);

export function markdownReport(result: ChaosResult): string {
  const errors = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([status, count]) => `${count}× ${status}`)
      .join(', ') || 'none';
  const lines = [
    `# Chaos run ${result.startedAt}: ${result.passed ? 'passed' : 'FAILED'}`,
    '',
    `${result.options.users} users, a request every ${result.options.pauseMs} ms per user, ` +
      `${result.options.quietMs / 1000} s of quiet load between faults; ` +
      `${result.load.attempts} requests, ${result.load.failed} failed; writes given up: ` +
      `${result.load.givenUp.map((g) => `${g.op} (${g.status})`).join(', ') || 'none'}.`,
    '',
    '| Fault | Processes survived | Client-visible errors (of requests, until the next fault) | Recovery after healing | Outage | Note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...result.faults.map(
      (f) =>
        `| ${f.fault} | ${f.survivors ? 'yes' : `no: ${f.unexpectedExits.join('; ')}`} | ${errors(f.clientErrors)} ` +
        `(of ${f.attempts}) | ${ms(f.recoveryMs)} | ${ms(f.outageMs)} | ${f.error ?? ''} |`,
    ),
    '',
    '| Audit | Result | Detail |',
    '| --- | --- | --- |',
    ...result.audit.map((c) => `| ${c.name} | ${c.ok ? 'ok' : 'FAILED'} | ${c.detail.replaceAll('|', '\\|')} |`),
    '',
  ];
  return lines.join('\n');
}

/** Writes `<name>.json` and `<name>.md` into `folder`; their paths. */
export async function writeReport(result: ChaosResult, folder: string, name: string): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const json = join(folder, `${name}.json`);
  const markdown = join(folder, `${name}.md`);
  await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(markdown, markdownReport(result));
  return [json, markdown];
}
