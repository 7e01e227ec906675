/**
 * Reads a V8 CPU profile (`.cpuprofile`: BENCH_CONVERGENCE_PROF's, `node --cpu-prof`'s) and prints
 * where the time went, as text, for a terminal without DevTools:
 *   self  [N]            functions by their own time
 *   total [N]            functions by the time under them (a recursive one counted once per sample)
 *   under FUNC [N]       inside FUNC's calls: its direct callees (time under each), then own times
 *   callers FUNC [DEPTH] FUNC's time by the chain of its callers, DEPTH frames up (default 1)
 * FUNC is a function name, or `name:line:column` for one of several of that name (as `under` prints
 * callees). Usage: npx tsx scripts/profile-summary.ts FILE.cpuprofile self 30
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, command = 'self', arg, countArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx scripts/profile-summary.ts FILE.cpuprofile self|total [N] | under FUNC [N] | callers FUNC [DEPTH]\n');
  process.exit(2);
}
// Piped into `head`: a closed pipe ends the listing, not with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

/** Microseconds sampled in each node itself. */
const selfTime = new Map<number, number>();
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

const inclusive = new Map<number, number>();
function inclusiveOf(n: ProfileNode): number {
  let t = inclusive.get(n.id);
  if (t === undefined) {
    t = selfTime.get(n.id) ?? 0;
    for (const c of n.children ?? []) t += inclusiveOf(byId.get(c)!);
    inclusive.set(n.id, t);
  }
  return t;
}

const nameOf = (n: ProfileNode) => n.callFrame.functionName || '(anonymous)';
const placeOf = (n: ProfileNode) => `${nameOf(n)}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber}`;
const where = (n: ProfileNode) => `${nameOf(n)} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const matches = (n: ProfileNode, func: string) => nameOf(n) === func || placeOf(n) === func;
const ms = (us: number) => `${(us / 1000).toFixed(1).padStart(9)} ms`;

function print(totals: Map<string, number>, limit: number, all?: number): void {
  for (const [key, us] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    const share = all ? ` ${((100 * us) / all).toFixed(1).padStart(5)}%` : '';
    console.log(`${ms(us)}${share}  ${key}`);
  }
}

function add(totals: Map<string, number>, key: string, us: number): void {
  totals.set(key, (totals.get(key) ?? 0) + us);
}

const all = [...selfTime.values()].reduce((a, b) => a + b, 0);
const limit = Number((command === 'self' || command === 'total' ? arg : countArg) ?? 30);

if (command === 'self' || command === 'total') {
  const totals = new Map<string, number>();
  for (const n of profile.nodes) {
    const t = selfTime.get(n.id) ?? 0;
    if (!t) continue;
    if (command === 'self') {
      add(totals, where(n), t);
      continue;
    }
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parentOf.get(id)) {
      const key = where(byId.get(id)!);
      if (!seen.has(key)) add(totals, key, t);
      seen.add(key);
    }
  }
  console.log(`${ms(all)} sampled`);
  print(totals, limit, all);
} else if (command === 'under' && arg) {
  // The outermost calls of FUNC only (a recursive call is inside one already).
  const roots: ProfileNode[] = [];
  const find = (n: ProfileNode, inside: boolean) => {
    const hit = !inside && matches(n, arg);
    if (hit) roots.push(n);
    for (const c of n.children ?? []) find(byId.get(c)!, inside || hit);
  };
  find(profile.nodes[0], false);
  const callees = new Map<string, number>();
  const own = new Map<string, number>();
  const walk = (n: ProfileNode) => {
    add(own, nameOf(n), selfTime.get(n.id) ?? 0);
    for (const c of n.children ?? []) walk(byId.get(c)!);
  };
  for (const root of roots) {
    walk(root);
    for (const c of root.children ?? []) add(callees, placeOf(byId.get(c)!), inclusiveOf(byId.get(c)!));
  }
  console.log(`${ms(roots.reduce((t, r) => t + inclusiveOf(r), 0))} under ${arg}; its callees:`);
  print(callees, 15);
  console.log('own time of the functions inside:');
  print(own, limit);
} else if (command === 'callers' && arg) {
  const depth = Number(countArg ?? 1);
  const chains = new Map<string, number>();
  for (const n of profile.nodes) {
    if (!matches(n, arg)) continue;
    let recursive = false;
    for (let id = parentOf.get(n.id); id !== undefined && !recursive; id = parentOf.get(id)) recursive = matches(byId.get(id)!, arg);
    if (recursive) continue;
    const chain: string[] = [];
    for (let id = parentOf.get(n.id); id !== undefined && chain.length < depth; id = parentOf.get(id)) chain.push(nameOf(byId.get(id)!));
    add(chains, chain.join(' < '), inclusiveOf(n));
  }
  print(chains, 30);
} else {
  process.stderr.write(`unknown command ${command} (self, total, under FUNC, callers FUNC)\n`);
  process.exit(2);
}
