/**
 * A bound on how far V8 lets the heap grow past what it keeps alive. After each full collection V8
 * sets the next one's threshold at the live size times a factor it picks from how fast it collects
 * against how fast the program allocates; on a machine with memory to spare the factor reaches 4,
 * and the pages a heap grew into stay resident after the collection. With the revision log on a
 * thread of its own (--writer-thread) the serving thread allocates faster and V8 picks the larger
 * factors: 290 MB alive grew to 919 MB before the next collection at 5,000 nodes × 10 DaemonSets.
 * This watches the full collections and, once the live heap is large, fixes the factor (V8's
 * `--heap-growing-percent`, read at every collection) so that the heap grows by at most
 * `headroomBytes` past what the last one kept; while V8's own largest factor stays within it, V8
 * decides. A process-wide setting: the command turns it on when its writer thread runs, the library never.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/** What the heap may grow past its live objects before the next full collection. */
const DEFAULT_HEAP_HEADROOM_BYTES = 128 * 1024 * 1024;
/** V8's largest growing factor on a machine with memory to spare (its MemoryController's high factor). */
const V8_MAX_FACTOR = 4;
/** The smallest growth this sets: a full collection per few MB allocated would cost more than it saves. */
const MIN_PERCENT = 25;

/** The `--heap-growing-percent` for `liveBytes` alive: 0 (V8 decides) while V8's largest factor stays within the headroom. */
export function growingPercentFor(liveBytes: number, headroomBytes: number): number {
  if (liveBytes <= 0 || liveBytes * (V8_MAX_FACTOR - 1) <= headroomBytes) return 0;
  return Math.max(MIN_PERCENT, Math.floor((100 * headroomBytes) / liveBytes));
}

export interface HeapHeadroomOptions {
  headroomBytes?: number;
  /** How a V8 flag is set (tests watch it). */
  setFlags?: (flags: string) => void;
}

/** Starts bounding the heap's growth; returns a function that stops and lets V8 decide again. */
export function boundHeapGrowth(opts: HeapHeadroomOptions = {}): () => void {
  const headroom = opts.headroomBytes ?? DEFAULT_HEAP_HEADROOM_BYTES;
  const setFlags = opts.setFlags ?? ((flags: string) => v8.setFlagsFromString(flags));
  let current = 0;
  const set = (percent: number) => {
    if (percent === current) return;
    current = percent;
    setFlags(`--heap-growing-percent=${percent}`);
  };
  const observer = new PerformanceObserver((list) => {
    // A gc entry's detail names its kind (Node's own shape; the types leave detail out).
    const full = list.getEntries().some((e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    // Read after the collection: what it kept, and what was allocated since (little: this runs in the next turn).
    if (full) set(growingPercentFor(v8.getHeapStatistics().used_heap_size, headroom));
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    set(0);
  };
}
