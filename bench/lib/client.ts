/** Small HTTP helpers for setting up scenarios (not for load: see load.ts). */
import { assertLoopback } from './load.js';

const REQUEST_TIMEOUT_MS = 10_000;

export interface HttpAnswer {
  status: number;
  text: string;
}

export async function request(
  baseUrl: string,
  method: string,
  path: string,
  body?: string,
  contentType = 'application/json',
): Promise<HttpAnswer> {
  const url = new URL(path, assertLoopback(baseUrl));
  const init: RequestInit = { method, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) };
  if (body !== undefined) init.body = body;
  if (body !== undefined) init.headers = { accept: 'application/json', 'content-type': contentType };
  const res = await fetch(url, init);
  return { status: res.status, text: await res.text() };
}

/** POST that must answer 201; returns the answer's JSON text. */
export async function create(baseUrl: string, path: string, body: string): Promise<string> {
  const res = await request(baseUrl, 'POST', path, body);
  if (res.status !== 201) throw new Error(`POST ${baseUrl}${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
  return res.text;
}

/** Runs `fn` over `items` with at most `limit` calls in flight; the first failure rejects. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i], i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
