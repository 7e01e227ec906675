/**
 * kubemock's app module for a benchmark child process: the compiled dist/app.js (BENCH_TARGET=dist,
 * the default; `npm run bench` builds it first) or the TypeScript sources (BENCH_TARGET=src).
 * Exits with a message when the build is missing.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type AppModule = typeof import('../../src/app.js');

export function benchTarget(): 'src' | 'dist' {
  return process.env.BENCH_TARGET === 'src' ? 'src' : 'dist';
}

export async function loadAppModule(): Promise<AppModule> {
  const target = benchTarget();
  const entry = target === 'src' ? new URL('../../src/app.ts', import.meta.url) : new URL('../../dist/app.js', import.meta.url);
  if (!existsSync(fileURLToPath(entry))) {
    process.stderr.write(`${fileURLToPath(entry)} does not exist; run \`npm run build\` (or set BENCH_TARGET=src)\n`);
    process.exit(1);
  }
  return (await import(entry.href)) as AppModule;
}
