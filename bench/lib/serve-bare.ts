/** Child process: the bare Fastify + better-sqlite3 baseline (see bare-server.ts). */
import { buildBareServer } from './bare-server.js';
import { serveChild } from './child.js';

await serveChild(async () => {
  const bare = await buildBareServer();
  return { ...bare, info: { server: 'bare' } };
});
