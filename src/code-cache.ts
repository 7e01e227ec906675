/**
 * Runs a CommonJS bundle with V8's code cache (Node 20 has no compile cache for ES modules, but a
 * vm.Script takes V8's cached data): the functions a build-time run compiled come compiled instead
 * of being parsed and compiled again. The bundle is written by scripts/bundle.ts as the function
 * Node's CommonJS loader would wrap a file in, plus the file's URL for import.meta.url, so it is
 * compiled as read, with no wrapped copy. V8 refuses a cache made by another V8 version or under
 * other V8 flags (--cpu-prof, --inspect): the script is then compiled from its source.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

export interface CachedScriptRun {
  /** What the bundle exported (module.exports). */
  exports: Record<string, unknown>;
  /** Whether V8 took the cached data. */
  cacheUsed: boolean;
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Runs `file` with the cache `${file}.cache` when there is one. With `writeCacheAtExit`, the cache
 * is made instead: written when the process exits, so that it holds every function the run
 * compiled, not only the top level.
 */
export function runCachedScript(file: string, writeCacheAtExit?: string): CachedScriptRun {
  const cachedData = writeCacheAtExit ? undefined : readCache(`${file}.cache`);
  const script = new vm.Script(readFileSync(file, 'utf8'), { filename: file, cachedData });
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file), pathToFileURL(file).href);
  if (writeCacheAtExit) process.on('exit', () => writeFileSync(writeCacheAtExit, script.createCachedData()));
  return { exports: module.exports, cacheUsed };
}

/**
 * Whether code run with vm's runInThisContext shares this module's globals. Not under a test
 * runner that evaluates modules in a context of its own (Jest, Vitest's vm pools): objects made
 * in the main context would fail their strict equality checks (other prototypes).
 */
export function inMainContext(): boolean {
  return vm.runInThisContext('globalThis') === globalThis;
}
