/**
 * CPU time of a process (Linux /proc; null elsewhere). A server that is not near 100 % of a core
 * while under load means the load generator, not the server, set the pace.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 2000 }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU seconds used so far by `pid`, or null when it cannot be read. */
export function processCpuSeconds(pid: number): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3 (state).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / clockTicks() : null;
  } catch {
    return null;
  }
}

/** Measures the CPU share (percent of one core) that `pid` and this process used during `fn`. */
export async function withCpu<T>(
  pid: number,
  fn: () => Promise<T>,
): Promise<{ value: T; serverCpuPercent: number | null; clientCpuPercent: number }> {
  const s0 = processCpuSeconds(pid);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const s1 = processCpuSeconds(pid);
  const c = process.cpuUsage(c0);
  return {
    value,
    serverCpuPercent: s0 !== null && s1 !== null && wall > 0 ? ((s1 - s0) / wall) * 100 : null,
    clientCpuPercent: wall > 0 ? ((c.user + c.system) / 1e6 / wall) * 100 : 0,
  };
}
