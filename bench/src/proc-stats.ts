/**
 * CPU and memory of process groups from /proc (Linux): user+system CPU seconds over a
 * window, turned into cores used, and resident memory sampled every second. A group is a
 * set of pids found afresh at each reading, so PostgreSQL's backends that come and go are
 * counted: the CPU of one that exited is in its parent's cutime/cstime.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface StatFields {
  ppid: number;
  /** utime + stime + cutime + cstime, in seconds. */
  cpuSeconds: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so split after the last ')'. */
export function parseStat(text: string): StatFields {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const number = (index: number) => Number(fields[index] ?? 0);
  // fields[0] is field 3 (state) of proc(5): ppid is field 4, utime..cstime fields 14..17.
  return { ppid: number(1), cpuSeconds: (number(11) + number(12) + number(13) + number(14)) / CLOCK_TICKS };
}

/** VmRSS and VmHWM of /proc/<pid>/status, in kB. */
export function parseStatus(text: string): { rssKb: number; hwmKb: number } {
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

function readStat(pid: number): StatFields | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // gone
  }
}

function readStatus(pid: number): { rssKb: number; hwmKb: number } {
  try {
    return parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return { rssKb: 0, hwmKb: 0 };
  }
}

export function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && readStat(pid)?.ppid === parent) pids.push(pid);
  }
  return pids;
}

export function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

export interface ProcessGroup {
  name: string;
  /** The pids of the group now. */
  pids(): number[];
  /** Overrides the sum over pids (the whole machine is not a set of pids). */
  cpuSeconds?(): number;
  rssKb?(): number;
}

export const singleProcess = (name: string, pid: number): ProcessGroup => ({ name, pids: () => [pid] });

/** A process and all its children (PostgreSQL: the postmaster and its backends). */
export const processTree = (name: string, root: number): ProcessGroup => ({
  name,
  pids: () => [root, ...childrenOf(root)],
});

export interface GroupUsage {
  cpu_seconds: number;
  /** CPU seconds per wall second: 1.0 is one core busy all the time. */
  cores: number;
  /** Largest sum of VmRSS seen in the window's one-second samples. */
  peak_rss_mb: number;
  /** Sum of VmHWM (each process's lifetime peak) at the end; PostgreSQL's shared buffers count once per process. */
  hwm_mb: number;
}

/** Busy CPU seconds of all CPUs since boot (/proc/stat: everything but idle and iowait). */
export function parseMachineBusySeconds(procStat: string): number {
  const fields = (procStat.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
}

/**
 * Every process of the machine and the kernel's own work (loopback networking): when it is
 * busier than the named groups add up to, something else took CPU too (another engineer's tests).
 */
export const wholeMachine: ProcessGroup = {
  name: 'machine',
  pids: () => [],
  cpuSeconds: () => parseMachineBusySeconds(readFileSync('/proc/stat', 'utf8')),
  rssKb: () => {
    const info = readFileSync('/proc/meminfo', 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(info)?.[1] ?? 0);
    return field('MemTotal') - field('MemAvailable');
  },
};

const cpuOf = (group: ProcessGroup) =>
  group.cpuSeconds?.() ?? group.pids().reduce((sum, pid) => sum + (readStat(pid)?.cpuSeconds ?? 0), 0);

function memoryOf(group: ProcessGroup): { rssKb: number; hwmKb: number } {
  const rss = group.rssKb?.();
  if (rss !== undefined) return { rssKb: rss, hwmKb: 0 };
  return group.pids().reduce(
    (sum, pid) => {
      const status = readStatus(pid);
      return { rssKb: sum.rssKb + status.rssKb, hwmKb: sum.hwmKb + status.hwmKb };
    },
    { rssKb: 0, hwmKb: 0 },
  );
}

const mb = (kb: number) => Math.round(kb / 102.4) / 10;

/** Measures a window: `begin()`, then `end()` gives each group's usage in between. */
export class ProcessMeter {
  private startCpu = new Map<string, number>();
  private peakRss = new Map<string, number>();
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly groups: ProcessGroup[]) {}

  begin(): void {
    this.startedAt = performance.now();
    for (const group of this.groups) {
      this.startCpu.set(group.name, cpuOf(group));
      this.peakRss.set(group.name, memoryOf(group).rssKb);
    }
    clearInterval(this.timer);
    this.timer = setInterval(() => this.sampleMemory(), 1000);
  }

  end(): Record<string, GroupUsage> {
    clearInterval(this.timer);
    this.timer = undefined;
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    const usage: Record<string, GroupUsage> = {};
    for (const group of this.groups) {
      const memory = memoryOf(group);
      const cpu = Math.max(0, cpuOf(group) - (this.startCpu.get(group.name) ?? 0));
      usage[group.name] = {
        cpu_seconds: Math.round(cpu * 100) / 100,
        cores: wallSeconds > 0 ? Math.round((cpu / wallSeconds) * 100) / 100 : 0,
        peak_rss_mb: mb(Math.max(memory.rssKb, this.peakRss.get(group.name) ?? 0)),
        hwm_mb: mb(memory.hwmKb),
      };
    }
    return usage;
  }

  private sampleMemory(): void {
    for (const group of this.groups) {
      const rss = memoryOf(group).rssKb;
      if (rss > (this.peakRss.get(group.name) ?? 0)) this.peakRss.set(group.name, rss);
    }
  }
}
