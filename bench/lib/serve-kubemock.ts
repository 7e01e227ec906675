/**
 * Child process: kubemock with an in-memory database and no controllers. BENCH_TARGET=dist (the
 * default; `npm run bench` builds it first) loads the compiled dist/app.js, BENCH_TARGET=src the
 * TypeScript sources through tsx.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveChild } from './child.js';

type AppModule = typeof import('../../src/app.js');

const target = process.env.BENCH_TARGET === 'src' ? 'src' : 'dist';
const entry = target === 'src' ? new URL('../../src/app.ts', import.meta.url) : new URL('../../dist/app.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(`${fileURLToPath(entry)} does not exist; run \`npm run build\` (or set BENCH_TARGET=src)\n`);
  process.exit(1);
}

await serveChild(async () => {
  const { buildApp } = (await import(entry.href)) as AppModule;
  const kubemock = await buildApp({ db: ':memory:', logLevel: 'silent', controllers: false });
  return { fastify: kubemock.fastify, close: () => kubemock.close(), info: { server: 'kubemock', target } };
});
