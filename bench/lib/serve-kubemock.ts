/**
 * Child process: kubemock with no controllers, from dist/ or the sources as BENCH_TARGET says
 * (see app-module.ts), on an in-memory database or a file as BENCH_DB says (bench-database.ts). A
 * file's revision log goes to a thread of its own once writes keep coming, as `npm start` runs it.
 */
import { boundHeapGrowth } from '../../src/heap-headroom.js';
import { writerThreadStart } from '../../src/storage/open-storage.js';
import { benchTarget, loadAppModule } from './app-module.js';
import { benchDatabase } from './bench-database.js';
import { serveChild } from './child.js';

const { buildApp } = await loadAppModule();

await serveChild(async () => {
  const db = benchDatabase('kubemock-bench');
  // As the command does when its writer thread runs (cli-app.ts).
  if (writerThreadStart({ db: db.path, writerThread: true }) !== undefined) boundHeapGrowth();
  const kubemock = await buildApp({ db: db.path, logLevel: 'silent', controllers: false, writerThread: true });
  const close = async () => {
    await kubemock.close();
    db.remove();
  };
  return { fastify: kubemock.fastify, close, info: { server: 'kubemock', target: benchTarget(), db: db.kind } };
});
