/**
 * A lean reader of one HTTP/1.1 watch response, for the watch scenario's watcher process: a plain
 * TCP connection that sends the GET, checks the response head (200, chunked), takes the chunked
 * framing off the body and hands over each NDJSON line with the time its bytes were read.
 *
 * Why not node:http: a thousand watchers in one process read 100,000 events a second, and Node's
 * HTTP client (its parser, an IncomingMessage stream and a Buffer per read on each connection) cost
 * that process more than a core on the 2-core machine, whose other core the server needs; the
 * watchers then fell behind and their read stamps measured their own queue, not the server. Here
 * every connection reads into one shared buffer (net's `onread`), lines are handed over as views of
 * it, and only a line split across two reads is copied.
 */
import { connect, type Socket } from 'node:net';

export interface WatchReaderHandlers {
  /** The response head was 200 with a chunked body: lines follow. */
  opened(): void;
  /** One NDJSON line (without its newline), valid only during the call; `t` is when its last bytes were read (µs). */
  line(line: Buffer, t: number): void;
  /** The request failed before the body started (connection refused, not 200, no head in time). */
  failed(error: Error): void;
  /** Something went wrong after the body started (the stream ended, the framing was broken). */
  problem(message: string): void;
}

export interface WatchReader {
  destroy(): void;
}

const MAX_HEAD_BYTES = 16 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');
const CR = 0x0d;
const LF = 0x0a;

const enum State {
  Head,
  Size,
  SizeLineEnd,
  Data,
  DataCr,
  DataLf,
}

function hexDigit(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return -1;
}

/** What is wrong with a response head, or undefined when it is 200 with a chunked body. */
export function headProblem(head: string): string | undefined {
  const [statusLine, ...headers] = head.split('\r\n');
  if (!/^HTTP\/1\.1 200 /.test(statusLine)) return `answered ${statusLine}`;
  const chunked = headers.some((h) => /^transfer-encoding:\s*chunked\s*$/i.test(h));
  return chunked ? undefined : 'the watch response is not chunked';
}

/**
 * Opens a watch on `url` (loopback http only: the caller checks). `readBuffer` is the buffer every
 * connection of the process reads into (handlers run before the next read reuses it).
 */
export function openWatchReader(
  url: URL,
  readBuffer: Buffer,
  headTimeoutMs: number,
  now: () => number,
  h: WatchReaderHandlers,
): WatchReader {
  let state = State.Head;
  /** What came of the response head so far, before its end was read. */
  let head: Buffer | undefined;
  let chunkLeft = 0;
  let sizeDigits = 0;
  let pending: Buffer | undefined;
  let ended = false;

  const fail = (e: Error) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    socket.destroy();
    h.failed(e);
  };
  const broken = (message: string) => {
    if (ended) return;
    ended = true;
    socket.destroy();
    h.problem(message);
  };

  /** Body bytes buf[from, to): split into lines, the part after the last newline kept for the next read. */
  const body = (buf: Buffer, from: number, to: number, t: number) => {
    let start = from;
    for (let nl = buf.indexOf(LF, start); nl >= 0 && nl < to; nl = buf.indexOf(LF, start)) {
      if (pending) {
        h.line(Buffer.concat([pending, buf.subarray(start, nl)]), t);
        pending = undefined;
      } else h.line(buf.subarray(start, nl), t);
      start = nl + 1;
    }
    if (start < to) pending = pending ? Buffer.concat([pending, buf.subarray(start, to)]) : Buffer.from(buf.subarray(start, to));
  };

  /** The response head has come: checks it, then goes on with what followed it in the same read. */
  const headRead = (buf: Buffer, end: number, t: number) => {
    // A copy: the read buffer is reused by the next read.
    const all = head ? Buffer.concat([head, buf.subarray(0, end)]) : Buffer.from(buf.subarray(0, end));
    const at = all.indexOf(HEAD_END);
    if (at < 0) {
      if (all.length > MAX_HEAD_BYTES) fail(new Error(`no end of the response head within ${MAX_HEAD_BYTES} bytes`));
      else head = all;
      return;
    }
    clearTimeout(timer);
    const why = headProblem(all.toString('latin1', 0, at));
    if (why) return fail(new Error(why));
    head = undefined;
    state = State.Size;
    h.opened();
    const rest = all.subarray(at + HEAD_END.length);
    if (rest.length) framed(rest, rest.length, t);
  };

  /** Takes the chunked framing off buf[0, end). */
  const framed = (buf: Buffer, end: number, t: number) => {
    let i = 0;
    while (i < end && !ended) {
      switch (state) {
        case State.Size: {
          const d = hexDigit(buf[i]);
          if (d >= 0) {
            chunkLeft = chunkLeft * 16 + d;
            sizeDigits++;
            i++;
          } else if (sizeDigits > 0 && (buf[i] === CR || buf[i] === 0x3b)) {
            state = State.SizeLineEnd; // a chunk extension (after ';') is skipped up to the line's end
            i++;
          } else return broken(`bad chunk size byte 0x${buf[i].toString(16)}`);
          break;
        }
        case State.SizeLineEnd:
          if (buf[i++] !== LF) break;
          sizeDigits = 0;
          if (chunkLeft === 0) return broken('the server ended the stream');
          state = State.Data;
          break;
        case State.Data: {
          const take = Math.min(chunkLeft, end - i);
          body(buf, i, i + take, t);
          i += take;
          chunkLeft -= take;
          if (chunkLeft === 0) state = State.DataCr;
          break;
        }
        case State.DataCr:
          if (buf[i++] !== CR) return broken('no CRLF after a chunk');
          state = State.DataLf;
          break;
        case State.DataLf:
          if (buf[i++] !== LF) return broken('no CRLF after a chunk');
          state = State.Size;
          break;
        default:
          return; // State.Head: the head is read by headRead, never framed
      }
    }
  };

  const timer = setTimeout(() => fail(new Error(`no response head within ${headTimeoutMs} ms`)), headTimeoutMs);
  const socket: Socket = connect({
    host: url.hostname,
    port: Number(url.port),
    onread: {
      buffer: readBuffer,
      callback: (nread: number, buf: Uint8Array): boolean => {
        if (ended) return false;
        const t = now();
        const b = buf as Buffer;
        if (state === State.Head) headRead(b, nread, t);
        else framed(b, nread, t);
        return true;
      },
    },
  });
  socket.setNoDelay(true);
  socket.on('connect', () =>
    socket.write(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: application/json\r\nUser-Agent: kubemock-bench-watcher\r\n\r\n`,
    ),
  );
  socket.on('error', (e) => (state === State.Head ? fail(e) : broken(e.message)));
  socket.on('end', () =>
    state === State.Head ? fail(new Error('the connection closed before a response head')) : broken('the server closed the connection'),
  );

  return {
    destroy() {
      ended = true;
      clearTimeout(timer);
      socket.destroy();
    },
  };
}
