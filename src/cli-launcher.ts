#!/usr/bin/env node
/**
 * dist/main.js, the built `kubemock` command (`npm run build` makes it from this file): runs the
 * CLI's CommonJS bundle, dist/cli.cjs (src/main.ts with everything it loads, in one script), with
 * the V8 code cache the build made for it, dist/cli.cjs.cache. Node 20 has no compile cache for
 * ES modules (module.enableCompileCache is Node 22's), but a vm.Script takes V8's cached data:
 * the functions a start and kubectl's first requests ran come compiled instead of being parsed
 * and compiled again, which was about a fifth of a start's CPU time. V8 refuses a cache made by
 * another V8 version or other V8 flags (e.g. --cpu-prof): the script is then compiled from its
 * source, as without a cache. From the sources (`npm run dev`), src/main.ts runs directly.
 *
 * Two variables serve the build: KUBEMOCK_CODE_CACHE_OUT=<file> writes the cache when the process
 * exits (scripts/bundle.ts starts the command so, makes kubectl's first requests and stops it);
 * KUBEMOCK_CODE_CACHE_REPORT=1 tells on stderr whether the cache was used.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const BUNDLE = fileURLToPath(new URL('./cli.cjs', import.meta.url));
const CACHE = `${BUNDLE}.cache`;

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Runs dist/cli.cjs, a function expression with the parameters of Node's CommonJS wrapper and the
 * file's URL for import.meta.url (the build writes it so: compiled as read, with no wrapped copy),
 * with V8's cached data when given. It holds no import(): the build makes each a require().
 */
function runCommonJs(file: string, cachedData: Buffer | undefined): { script: vm.Script; used: boolean } {
  const script = new vm.Script(readFileSync(file, 'utf8'), {
    filename: file,
    cachedData,
  });
  const used = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file), pathToFileURL(file).href);
  return { script, used };
}

const out = process.env.KUBEMOCK_CODE_CACHE_OUT;
const { script, used } = runCommonJs(BUNDLE, out ? undefined : readCache(CACHE));
if (process.env.KUBEMOCK_CODE_CACHE_REPORT) process.stderr.write(`kubemock: code cache ${used ? 'used' : 'not used'}\n`);
// Made at exit, so that it holds every function the run compiled, not only the top level.
if (out) process.on('exit', () => writeFileSync(out, script.createCachedData()));
