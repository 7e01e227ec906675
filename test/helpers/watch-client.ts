/** A raw watch stream reader for tests: collects events, waits for counts, ends cleanly. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kubemock } from '../../src/app.js';

export interface WatchEvent {
  type: string;
  object: Record<string, any>;
}

export interface WatchStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: WatchEvent[];
  ended: Promise<void>;
  waitFor(count: number, timeoutMs?: number): Promise<WatchEvent[]>;
  close(): void;
}

export async function listening(kubemock: Kubemock): Promise<number> {
  const addr = kubemock.fastify.server.address() as AddressInfo | null;
  if (addr) return addr.port;
  await kubemock.fastify.listen({ port: 0, host: '127.0.0.1' });
  return (kubemock.fastify.server.address() as AddressInfo).port;
}

export async function openWatch(kubemock: Kubemock, path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  const port = await listening(kubemock);
  return new Promise((resolve, reject) => {
    const events: WatchEvent[] = [];
    const waiters: (() => void)[] = [];
    let endResolve!: () => void;
    const ended = new Promise<void>((r) => (endResolve = r));
    const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let i: number;
        while ((i = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 1);
          if (line.trim()) events.push(JSON.parse(line));
        }
        for (const w of waiters.splice(0)) w();
      });
      const finish = () => {
        endResolve();
        for (const w of waiters.splice(0)) w();
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        ended,
        async waitFor(count, timeoutMs = 3000) {
          const deadline = Date.now() + timeoutMs;
          let done = false;
          void ended.then(() => (done = true));
          while (events.length < count && !done) {
            const left = deadline - Date.now();
            if (left <= 0) break;
            await new Promise<void>((r) => {
              waiters.push(r);
              setTimeout(r, left).unref();
            });
          }
          if (events.length < count)
            throw new Error(`expected ${count} events, got ${events.length}: ${JSON.stringify(events.map((e) => e.type))}`);
          return events.slice(0, count);
        },
        close() {
          req.destroy();
        },
      });
    });
    req.on('error', reject);
  });
}
