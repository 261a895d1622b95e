/** The Prometheus binaries the deploy checks run (Debian's `prometheus` package; see scripts/ensure-system-tools.sh). */
import { spawnSync } from 'node:child_process';

export const promtoolBinary = process.env.PROMTOOL ?? 'promtool';
export const prometheusBinary = process.env.PROMETHEUS ?? 'prometheus';

export interface ToolRun {
  status: number | null;
  /** stdout and stderr together, for the failure message. */
  output: string;
}

export function promtool(args: string[], cwd?: string): ToolRun {
  const run = spawnSync(promtoolBinary, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw new Error(`cannot run ${promtoolBinary} (install Debian's prometheus package): ${run.error}`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
