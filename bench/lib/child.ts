/**
 * The child side of bench/lib/servers.ts: listen on 127.0.0.1 port 0, print one JSON line
 * `{"ready":true,"port":N,...}` on stdout, and exit when told (SIGTERM / SIGINT) or when the
 * parent goes away (stdin closes), so no server outlives a crashed bench run.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

export async function serveChild(
  start: () => Promise<{ fastify: FastifyInstance; close(): Promise<void>; info?: Record<string, unknown> }>,
): Promise<void> {
  let server: Awaited<ReturnType<typeof start>> | undefined;
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(code), 3000);
    force.unref();
    (server ? server.close() : Promise.resolve()).then(
      () => process.exit(code),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  process.stdin.on('end', () => stop(0));
  process.stdin.on('error', () => stop(0));
  process.stdin.resume();
  try {
    server = await start();
    await server.fastify.listen({ host: '127.0.0.1', port: 0 });
    const { port } = server.fastify.server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ ready: true, port, pid: process.pid, ...server.info })}\n`);
  } catch (e) {
    process.stderr.write(`bench child failed to start: ${(e as Error).stack ?? String(e)}\n`);
    stop(1);
  }
}
