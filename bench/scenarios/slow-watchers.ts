/**
 * Watchers that stop reading, under load: 200 watchers of the pods of `default` open a watch and
 * never read again while 20,000 pods are written, as in issue 16. Measured: another client's GET
 * of one pod, one request at a time all through the writes (p50 / p99 / max), the server's RSS
 * before the watchers, at its peak and once the writes are done, and a reading watcher's count of
 * the events (every one of them must arrive). The same run without the stuck watchers is the
 * control: what the writes alone cost in latency and memory (the database grows by 20,000 pods).
 *
 * The server is a child (bench/lib/serve-kubemock.ts, controllers off); the stuck watchers, the
 * reader, the writer and the prober share this process, which does little: paused sockets cost
 * nothing, and the reader only counts lines. RSS is the child's VmRSS from /proc (Linux).
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { Agent, request as httpRequest } from 'node:http';
import { create, mapLimit, request } from '../lib/client.js';
import { assertLoopback } from '../lib/load.js';
import type { BenchContext, ResultRow, Scenario, ScenarioResult } from '../lib/scenario.js';
import { startServer, type ServerHandle } from '../lib/servers.js';
import { percentile } from '../lib/stats.js';

const PODS = '/api/v1/namespaces/default/pods';
const STUCK_WATCHERS = 200;
const WRITES = 20_000;
const WRITES_QUICK = 2_000;
const WRITE_CONCURRENCY = 16;
/** Pause between two probe GETs (one in flight at a time). */
const PROBE_GAP_MS = 5;
const SETTLE_MS = 3_000;
const DRAIN_LIMIT_MS = 60_000;
const AIM_P99_MS = 100;

function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

const podJson = (name: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } });

/** A watch whose socket this process never reads. */
async function stuckWatch(base: URL): Promise<Socket> {
  const socket = connect(Number(base.port), base.hostname);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.on('error', () => {}); // the server closes it: expected
  socket.write(`GET ${PODS}?watch=true HTTP/1.1\r\nHost: ${base.host}\r\n\r\n`);
  socket.pause();
  return socket;
}

/** A watch read line by line; resolves its count of ADDED events once `expected` arrived (or the limit passed). */
function readingWatch(base: URL) {
  let added = 0;
  let wanted = Infinity;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const req = httpRequest({ host: base.hostname, port: base.port, path: `${PODS}?watch=true` }, (res) => {
    let tail = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const text = tail + chunk;
      let from = 0;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', (from = i + 1))) {
        if (text.startsWith('{"type":"ADDED"', from)) added++;
      }
      tail = text.slice(from);
      if (added >= wanted) done();
    });
    res.on('close', done);
  });
  req.on('error', done);
  req.end();
  return {
    count: async (expected: number) => {
      wanted = expected;
      if (added >= wanted) done();
      await Promise.race([finished, new Promise((r) => setTimeout(r, DRAIN_LIMIT_MS))]);
      req.destroy();
      return added;
    },
  };
}

async function runOnce(ctx: BenchContext, stuck: number, writes: number): Promise<ResultRow> {
  const server: ServerHandle = await startServer('kubemock');
  const sockets: Socket[] = [];
  try {
    const base = assertLoopback(server.baseUrl);
    await create(server.baseUrl, PODS, podJson('probe'));
    const rssStart = rssMB(server.pid);
    for (let i = 0; i < stuck; i++) sockets.push(await stuckWatch(base));
    const reader = readingWatch(base);

    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const latencies: number[] = [];
    let probing = true;
    let probeErrors = 0;
    const probeOnce = () =>
      new Promise<void>((resolve) => {
        const t0 = process.hrtime.bigint();
        const req = httpRequest({ host: base.hostname, port: base.port, path: `${PODS}/probe`, agent }, (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            else probeErrors++;
            resolve();
          });
        });
        req.on('error', () => (probeErrors++, resolve()));
        req.end();
      });
    const prober = (async () => {
      while (probing) {
        await probeOnce();
        await new Promise((r) => setTimeout(r, PROBE_GAP_MS));
      }
    })();
    let rssPeak = rssStart;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMB(server.pid))), 100);

    ctx.log(`  ${stuck} stuck watchers, ${writes} pod writes`);
    const started = Date.now();
    const names = Array.from({ length: writes }, (_, i) => `pod-${String(i).padStart(5, '0')}`);
    let writeErrors = 0;
    // A failed or timed-out write is counted, not fatal: a stall is what this measures.
    await mapLimit(names, WRITE_CONCURRENCY, async (name) => {
      const res = await request(server.baseUrl, 'POST', PODS, podJson(name)).catch(() => undefined);
      if (res?.status !== 201) writeErrors++;
    });
    const writeSeconds = (Date.now() - started) / 1000;
    probing = false;
    await prober;
    const delivered = await reader.count(writes + 1 - writeErrors);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    clearInterval(sampler);
    const rssEnd = rssMB(server.pid);
    agent.destroy();

    latencies.sort((a, b) => a - b);
    const p99 = percentile(latencies, 0.99);
    const row: ResultRow = {
      subject: stuck ? `${stuck} stuck watchers` : 'control (none)',
      values: {
        'writes/s': Math.round(writes / writeSeconds),
        'GET p50 ms': percentile(latencies, 0.5),
        'GET p99 ms': p99,
        'GET max ms': latencies.at(-1) ?? NaN,
        'RSS start MB': rssStart,
        'RSS peak MB': rssPeak,
        'RSS end MB': rssEnd,
        delivered,
      },
      note: stuck ? `aim GET p99 < ${AIM_P99_MS} ms, RSS back near the control's` : undefined,
      details: { gets: latencies.length, probeErrors, writeErrors },
    };
    if (writeErrors) row.error = `${writeErrors} writes failed or timed out`;
    else if (delivered !== writes + 1) row.error = `the reading watcher got ${delivered} of ${writes + 1} events`;
    else if (probeErrors) row.error = `${probeErrors} probe GETs failed`;
    return row;
  } finally {
    for (const s of sockets) s.destroy();
    await server.stop();
  }
}

export const slowWatchersScenario: Scenario = {
  name: 'slow-watchers',
  description: '200 watchers stop reading during 20,000 pod writes: another client’s GET p99 and the server’s RSS',
  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const writes = ctx.quick ? WRITES_QUICK : WRITES;
    const withStuck = await runOnce(ctx, STUCK_WATCHERS, writes);
    const control = await runOnce(ctx, 0, writes);
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    return {
      rows: [withStuck, control],
      summary: {
        p99Ms: num(withStuck.values['GET p99 ms']),
        rssEndMB: num(withStuck.values['RSS end MB']),
        controlRssEndMB: num(control.values['RSS end MB']),
      },
    };
  },
};
