/** bench/lib/watch-reader.ts: the watch scenario's HTTP/1.1 reader, against a loopback server writing awkward framing. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, describe, it } from 'node:test';
import { headProblem, openWatchReader } from '../../bench/lib/watch-reader.js';

const servers: Server[] = [];
after(() => servers.forEach((s) => s.close()));

/** A raw TCP server that answers the first request with `replies`, one socket write each, 5 ms apart. */
async function rawServer(replies: string[]): Promise<{ url: URL; request: Promise<string> }> {
  let gotRequest!: (r: string) => void;
  const request = new Promise<string>((r) => (gotRequest = r));
  const server = createServer((socket) => {
    let text = '';
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      gotRequest(text);
      replies.forEach((r, i) => setTimeout(() => socket.write(r), 5 * i));
    });
    socket.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: new URL(`http://127.0.0.1:${port}/api/v1/pods?watch=true`), request };
}

function chunk(data: string): string {
  return `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`;
}

interface Seen {
  lines: string[];
  problems: string[];
  opened: boolean;
  failed?: Error;
}

function read(url: URL, settle: (seen: Seen) => boolean): Promise<Seen> {
  const seen: Seen = { lines: [], problems: [], opened: false };
  return new Promise((resolve) => {
    const done = () => {
      if (!settle(seen)) return;
      reader.destroy();
      resolve(seen);
    };
    const reader = openWatchReader(url, Buffer.allocUnsafe(64 * 1024), 2000, () => 1, {
      opened: () => ((seen.opened = true), done()),
      line: (line) => (seen.lines.push(line.toString('utf8')), done()),
      failed: (e) => ((seen.failed = e), resolve(seen)),
      problem: (m) => (seen.problems.push(m), done()),
    });
  });
}

describe('bench watch reader', () => {
  it('sends a GET with Host and Accept, and hands over the lines of a chunked body however the writes split them', async () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const one = '{"type":"ADDED","object":{"n":"é1"}}\n';
    const two = '{"type":"MODIFIED","object":{"n":2}}\n{"type":"ADDED","object":{"n":3}}\n';
    const framed = chunk(one) + chunk(two);
    // The head and the first bytes of the body in one write; then a chunk cut inside its size line, its data and its CRLF.
    const cuts = [head.length + 3, head.length + 7, head.length + one.length, framed.length + head.length - 1];
    const all = head + framed;
    const replies = cuts.map((c, i) => all.slice(i === 0 ? 0 : cuts[i - 1], c)).concat(all.slice(cuts.at(-1)));
    const { url, request } = await rawServer(replies);
    const seen = await read(url, (s) => s.lines.length === 3);
    assert.equal(seen.opened, true);
    assert.deepEqual(seen.lines, [one.trim(), ...two.trim().split('\n')]);
    assert.deepEqual(seen.problems, []);
    const req = await request;
    assert.match(req, /^GET \/api\/v1\/pods\?watch=true HTTP\/1\.1\r\n/);
    assert.match(req, /\r\nHost: 127\.0\.0\.1:\d+\r\n/);
    assert.match(req, /\r\nAccept: application\/json\r\n/);
  });

  it('reports the end of the stream (the last chunk) as a problem', async () => {
    const { url } = await rawServer(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', chunk('{"type":"ADDED"}\n') + '0\r\n\r\n']);
    const seen = await read(url, (s) => s.problems.length > 0);
    assert.deepEqual(seen.lines, ['{"type":"ADDED"}']);
    assert.deepEqual(seen.problems, ['the server ended the stream']);
  });

  it('fails a watch that is not answered 200 with a chunked body', async () => {
    const { url } = await rawServer(['HTTP/1.1 410 Gone\r\nContent-Length: 2\r\n\r\n{}']);
    const seen = await read(url, () => false);
    assert.equal(seen.opened, false);
    assert.equal(seen.failed?.message, 'answered HTTP/1.1 410 Gone');
  });

  it('checks the response head', () => {
    assert.equal(headProblem('HTTP/1.1 200 OK\r\ntransfer-encoding:  chunked'), undefined);
    assert.equal(headProblem('HTTP/1.1 200 OK\r\nContent-Length: 5'), 'the watch response is not chunked');
    assert.equal(headProblem('HTTP/1.1 500 Internal Server Error'), 'answered HTTP/1.1 500 Internal Server Error');
  });
});
