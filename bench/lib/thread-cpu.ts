/**
 * CPU time of each thread of this process, from /proc/self/task (Linux only): what the serving
 * thread spends against the writer thread, V8's GC helpers and libuv's pool. Empty elsewhere.
 */
import { readdirSync, readFileSync } from 'node:fs';

export type ThreadCpu = Map<string, number>;

const TICKS_PER_SECOND = 100; // USER_HZ: Linux reports utime and stime in it on every platform it runs

/**
 * Milliseconds of CPU per thread: `main`, and the others as `<name> <tid>` (Node 20 names its worker
 * threads, V8's GC helpers and libuv's pool all `node`).
 */
export function threadCpu(): ThreadCpu {
  const out: ThreadCpu = new Map();
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  const main = String(process.pid);
  for (const tid of tasks) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // "tid (comm) state ppid …": comm may hold spaces; the fields after its closing parenthesis are fixed.
    const close = stat.lastIndexOf(')');
    const name = tid === main ? 'main' : `${stat.slice(stat.indexOf('(') + 1, close)} ${tid}`;
    const fields = stat.slice(close + 2).split(' ');
    const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND; // utime, stime
    out.set(name, ms);
  }
  return out;
}

/** `after` less `before`, per thread, largest first, as one line (threads under 1% of the total left out). */
export function describeThreadCpu(before: ThreadCpu, after: ThreadCpu): string {
  const spent = [...after].map(([name, ms]) => [name, ms - (before.get(name) ?? 0)] as const).filter(([, ms]) => ms > 0);
  const total = spent.reduce((sum, [, ms]) => sum + ms, 0);
  spent.sort((a, b) => b[1] - a[1]);
  const shown = spent.filter(([, ms]) => ms >= total / 100);
  return `${shown.map(([name, ms]) => `${name} ${Math.round(ms)} ms`).join(', ')} (total ${Math.round(total)} ms)`;
}
