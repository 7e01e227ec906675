/** Child process: the bare Fastify + better-sqlite3 baseline (see bare-server.ts). */
import { buildBareServer } from './bare-server.js';
import { benchDatabase } from './bench-database.js';
import { serveChild } from './child.js';

await serveChild(async () => {
  const db = benchDatabase('bare-bench');
  const bare = await buildBareServer(db.path);
  const close = async () => {
    await bare.close();
    db.remove();
  };
  return { fastify: bare.fastify, close, info: { server: 'bare', db: db.kind } };
});
