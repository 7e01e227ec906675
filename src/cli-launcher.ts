#!/usr/bin/env node
/**
 * dist/main.js, the built `kubemock` command (`npm run build` makes it from this file): runs the
 * CLI's CommonJS bundle, dist/cli.cjs (src/main.ts with everything it loads, in one script), with
 * the V8 code cache the build made for it, dist/cli.cjs.cache (src/code-cache.ts): the functions a
 * start and kubectl's first requests ran come compiled, which was about a fifth of a start's CPU
 * time. From the sources (`npm run dev`), src/main.ts runs directly.
 *
 * Two variables serve the build: KUBEMOCK_CODE_CACHE_OUT=<file> writes the cache when the process
 * exits (scripts/bundle.ts starts the command so, makes kubectl's first requests and stops it);
 * KUBEMOCK_CODE_CACHE_REPORT=1 tells on stderr whether the cache was used.
 */
import { fileURLToPath } from 'node:url';
import { runCachedScript } from './code-cache.js';

const { cacheUsed } = runCachedScript(fileURLToPath(new URL('./cli.cjs', import.meta.url)), process.env.KUBEMOCK_CODE_CACHE_OUT);
if (process.env.KUBEMOCK_CODE_CACHE_REPORT) process.stderr.write(`kubemock: code cache ${cacheUsed ? 'used' : 'not used'}\n`);
