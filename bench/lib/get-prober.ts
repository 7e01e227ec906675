/**
 * Another client's view of a busy server: one GET at a time on its own keep-alive connection, a
 * short pause between two, each timed (µs on CLOCK_MONOTONIC, comparable with a child process's
 * stamps) until stopped. What the server's other work costs a request that arrives meanwhile.
 */
import { Agent, request } from 'node:http';

export interface GetSample {
  startUs: number;
  endUs: number;
  /** The answer's status, 0 when the request failed or timed out. */
  status: number;
}

export interface GetProber {
  /** Stops after the GET in flight and hands over every sample (the same on every call). */
  stop(): Promise<GetSample[]>;
}

/** Pause between two GETs (one in flight at a time). */
const GAP_MS = 5;

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

function getOnce(agent: Agent, url: URL, timeoutMs: number): Promise<GetSample> {
  return new Promise((resolve) => {
    const startUs = nowUs();
    let answered = false;
    const done = (status: number) => {
      if (answered) return;
      answered = true;
      resolve({ startUs, endUs: nowUs(), status });
    };
    const req = request(url, { agent, headers: { accept: 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
      res.on('error', () => done(0));
    });
    req.on('error', () => done(0));
    req.on('close', () => done(0));
    req.setTimeout(timeoutMs, () => req.destroy());
    req.end();
  });
}

/** Starts GETting `url` (loopback: the caller checks) one request at a time. */
export function startGetProber(url: URL, timeoutMs: number): GetProber {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples: GetSample[] = [];
  let probing = true;
  const loop = (async () => {
    while (probing) {
      samples.push(await getOnce(agent, url, timeoutMs));
      await new Promise((r) => setTimeout(r, GAP_MS));
    }
  })();
  let stopped: Promise<GetSample[]> | undefined;
  return {
    stop: () =>
      (stopped ??= (async () => {
        probing = false;
        await loop;
        agent.destroy();
        return samples;
      })()),
  };
}
