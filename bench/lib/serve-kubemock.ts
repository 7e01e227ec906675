/**
 * Child process: kubemock with an in-memory database and no controllers, from dist/ or the
 * sources as BENCH_TARGET says (see app-module.ts).
 */
import { benchTarget, loadAppModule } from './app-module.js';
import { serveChild } from './child.js';

const { buildApp } = await loadAppModule();

await serveChild(async () => {
  const kubemock = await buildApp({ db: ':memory:', logLevel: 'silent', controllers: false });
  return { fastify: kubemock.fastify, close: () => kubemock.close(), info: { server: 'kubemock', target: benchTarget() } };
});
