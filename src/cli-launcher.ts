#!/usr/bin/env node
/**
 * dist/main.js, the built `kubemock` command (`npm run build` makes it from this file): runs the
 * CLI's early part, dist/cli.cjs (src/main.ts with what it loads, in one CommonJS script: settings,
 * the database lock, the socket, the kubeconfig and the banner), with the V8 code cache the build
 * made for it, dist/cli.cjs.cache (src/code-cache.ts): the functions a start and kubectl's first
 * requests ran come compiled, which was about a fifth of a start's CPU time. The early part loads
 * the app part, dist/cli-app.cjs (src/cli-app.ts and the app), the same way after its banner. From
 * the sources (`npm run dev`), src/main.ts runs directly.
 *
 * Three variables serve the build: KUBEMOCK_CODE_CACHE_OUT=<file> and
 * KUBEMOCK_APP_CODE_CACHE_OUT=<file> write the two parts' caches when the process exits
 * (scripts/bundle.ts starts the command so, makes kubectl's first requests and stops it);
 * KUBEMOCK_CODE_CACHE_REPORT=1 tells on stderr whether each cache was used.
 */
import { fileURLToPath } from 'node:url';
import { runCachedScript } from './code-cache.js';

const { cacheUsed } = runCachedScript(fileURLToPath(new URL('./cli.cjs', import.meta.url)), process.env.KUBEMOCK_CODE_CACHE_OUT);
if (process.env.KUBEMOCK_CODE_CACHE_REPORT) process.stderr.write(`kubemock: code cache ${cacheUsed ? 'used' : 'not used'}\n`);
