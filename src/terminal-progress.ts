/**
 * Progress of long start-up work on a terminal: one line on stderr, rewritten in place
 * ("nodes: 2400/5000 (48%)"), left as "nodes: 5000/5000 done" when the work ends. Work that ends
 * within the first interval shows nothing; a stderr that is not a terminal (a file, a pipe, CI)
 * gets nothing at all.
 */
import type { ProgressCallback } from './apimachinery/progress.js';

export interface ProgressStream {
  isTTY?: boolean;
  write(chunk: string): unknown;
}

/** How often the line is rewritten, and how long work runs before it shows. */
const INTERVAL_MS = 100;
/** Return to the line's start and clear it (ECMA-48 EL). */
const REWRITE = '\r\x1b[K';

export interface TerminalProgress {
  report: ProgressCallback;
}

export function terminalProgress(stream: ProgressStream, now: () => number = () => performance.now()): TerminalProgress {
  if (!stream.isTTY) return { report: () => {} };
  let task: string | undefined;
  let startedAt = 0;
  let shownAt: number | undefined;
  return {
    report(name, done, total) {
      const t = now();
      if (name !== task) {
        if (shownAt !== undefined) stream.write('\n'); // a task left unfinished keeps its last line
        task = name;
        startedAt = t;
        shownAt = undefined;
      }
      if (done >= total) {
        if (shownAt !== undefined) stream.write(`${REWRITE}${name}: ${done}/${total} done\n`);
        task = undefined;
        shownAt = undefined;
        return;
      }
      if (t - (shownAt ?? startedAt) < INTERVAL_MS) return;
      shownAt = t;
      stream.write(`${REWRITE}${name}: ${done}/${total} (${Math.floor((100 * done) / total)}%)`);
    },
  };
}
