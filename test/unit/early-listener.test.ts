/**
 * src/early-listener.ts: connections made before the app's server exists wait, unread, and reach it
 * in the order they came once released; the server is made with the settings Fastify gives, and
 * listens on the early binding.
 */
import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import { listenEarly } from '../../src/early-listener.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A GET on a connection of its own (kept alive, as clients ask); `connected` resolves once the kernel has accepted it. */
function send(port: number, path: string): { connected: Promise<void>; answer: Promise<Answer> } {
  let connected!: Promise<void>;
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: { connection: 'keep-alive' } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => {
        req.destroy(); // done with the kept-alive connection
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    connected = new Promise((resolveConnect) => req.once('socket', (socket) => socket.once('connect', () => resolveConnect())));
    req.on('error', reject);
    req.end();
  });
  return { connected, answer };
}

const get = (port: number, path: string) => send(port, path).answer;

describe('the early listener', () => {
  it('holds requests until released, then hands them to the server in the order their connections came', async () => {
    const early = await listenEarly('127.0.0.1', 0);
    const seen: string[] = [];
    const server = early.serverFactory(
      (req, res) => {
        seen.push(req.url ?? '');
        res.end(`answered ${req.url}`);
      },
      { keepAliveTimeout: 72_000, requestTimeout: 0, connectionTimeout: 0 },
    );
    try {
      const port = early.address.port;
      const answers: Promise<Answer>[] = [];
      for (const path of ['/first', '/second', '/third']) {
        const sent = send(port, path);
        answers.push(sent.answer);
        // The next connection only once this one is accepted by the kernel: their order is known.
        await sent.connected;
      }
      let released = false;
      const settled = Promise.all(answers).then((all) => ({ released, all }));
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(seen, [], 'nothing reaches the server before it is released');
      released = true;
      early.release();
      const { released: afterRelease, all } = await settled;
      assert.ok(afterRelease, 'answered only after the release');
      assert.deepEqual(seen, ['/first', '/second', '/third']);
      assert.deepEqual(
        all.map((a) => [a.status, a.body]),
        [
          [200, 'answered /first'],
          [200, 'answered /second'],
          [200, 'answered /third'],
        ],
      );
      // Fastify's keepAliveTimeout, as its own server would have it.
      assert.equal(all[0].headers['keep-alive'], 'timeout=72');
      // Later connections go straight through.
      assert.equal((await get(port, '/later')).body, 'answered /later');
    } finally {
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    }
  });

  it("makes the server's listen() report the early binding, and its close() end it", async () => {
    const early = await listenEarly('127.0.0.1', 0);
    const server = early.serverFactory((_req, res) => res.end('ok'), {});
    const listening = new Promise<void>((resolve) => server.once('listening', () => resolve()));
    server.listen({ host: '127.0.0.1', port: 0 });
    await listening;
    assert.deepEqual(server.address(), early.address);
    early.release();
    assert.equal((await get(early.address.port, '/')).body, 'ok');
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    await assert.rejects(get(early.address.port, '/'), { code: 'ECONNREFUSED' });
  });

  it('close() cuts off the connections it held (a start that failed) and stops listening', async () => {
    const early = await listenEarly('127.0.0.1', 0);
    const port = early.address.port;
    const sent = send(port, '/held');
    const held = sent.answer;
    await sent.connected;
    await new Promise((r) => setTimeout(r, 100));
    early.close();
    await assert.rejects(held);
    await assert.rejects(get(port, '/after'), { code: 'ECONNREFUSED' });
  });

  it('refuses a port that is taken, as listen() does', async () => {
    const first = await listenEarly('127.0.0.1', 0);
    try {
      await assert.rejects(listenEarly('127.0.0.1', first.address.port), { code: 'EADDRINUSE' });
    } finally {
      first.close();
    }
  });
});
