/**
 * Child process: kubemock with no controllers, from dist/ or the sources as BENCH_TARGET says
 * (see app-module.ts), on an in-memory database or a file as BENCH_DB says (bench-database.ts).
 */
import { benchTarget, loadAppModule } from './app-module.js';
import { benchDatabase } from './bench-database.js';
import { serveChild } from './child.js';

const { buildApp } = await loadAppModule();

await serveChild(async () => {
  const db = benchDatabase('kubemock-bench');
  const kubemock = await buildApp({ db: db.path, logLevel: 'silent', controllers: false });
  const close = async () => {
    await kubemock.close();
    db.remove();
  };
  return { fastify: kubemock.fastify, close, info: { server: 'kubemock', target: benchTarget(), db: db.kind } };
});
