// Preloaded by `npm test` (`--import ./test/helpers/report-guard.ts`) into the runner and, through the
// inherited exec arguments, into the process that runs each test file.
//
// Why: with --test-force-exit, Node 20's runner ends a test file's process with process.exit() as soon
// as its reporter stream closes. The file reports to the runner over a pipe (stdout, the v8-serializer
// format), and on Linux a pipe write that does not fit the pipe's buffer is queued inside the process;
// process.exit() then drops the queue. When the runner is busy (two files at a time on two loaded cores)
// the tail of a file's results was lost: the file still exited 0 and the run passed with fewer tests
// (nodejs/node#64833).
//
// What it does:
// - makes stdout blocking, so every write has reached the pipe when write() returns and process.exit()
//   has nothing left to drop (in the runner too, whose own summary ends the same way);
// - in a test file's process, watches what the reporter writes and, when the process exits, sets a failing exit code (which the
//   runner reports as a failed file) unless the root's trailer, its plan, was written: every result comes
//   before it.
import { Buffer } from 'node:buffer';
import { DefaultDeserializer, Serializer } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

// Worker threads start with the same preloads and environment; their stdout is not the pipe to the runner.
const inTestFileProcess = isMainThread && process.env.NODE_TEST_CONTEXT === 'child-v8';

interface StdoutHandle {
  setBlocking?: (blocking: boolean) => number;
}

function blockingStdout(): void {
  const handle = (process.stdout as unknown as { _handle?: StdoutHandle })._handle;
  handle?.setBlocking?.(true);
}

function v8Header(): Buffer {
  const serializer = new Serializer();
  serializer.writeHeader();
  return serializer.releaseBuffer();
}

interface ReportItem {
  type?: unknown;
  data?: { nesting?: unknown };
}

function isRootPlan(item: unknown): boolean {
  const report = item as ReportItem | null;
  return report?.type === 'test:plan' && report.data?.nesting === 0;
}

// Reads the frames the v8-serializer reporter writes (header, 4-byte big-endian length, header, value), skipping
// anything else written to stdout, and calls onItem with each decoded report item.
function frameReader(onItem: (item: unknown) => void): (chunk: Buffer) => void {
  const header = v8Header();
  const prefix = header.length + 4;
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      const start = pending.indexOf(header);
      if (start === -1) {
        pending = pending.subarray(Math.max(0, pending.length - header.length + 1));
        return;
      }
      if (pending.length - start < prefix) {
        pending = pending.subarray(start);
        return;
      }
      const end = start + prefix + pending.readUInt32BE(start + header.length);
      if (pending.length < end) {
        pending = pending.subarray(start);
        return;
      }
      const frame = pending.subarray(start + prefix, end);
      pending = pending.subarray(end);
      // The reporter's serializer writes Buffers and typed arrays (a failure's actual value, say) as
      // host objects, which only the default deserializer reads; and whatever a frame holds, the
      // reporter's own write must not throw here (that ended the file's process: "Unable to
      // deserialize cloned data"). An item that cannot be read is not the root's plan.
      let item: unknown;
      try {
        const deserializer = new DefaultDeserializer(frame);
        deserializer.readHeader();
        item = deserializer.readValue();
      } catch {
        continue;
      }
      onItem(item);
    }
  };
}

function guardReport(): void {
  let trailerWritten = false;
  const read = frameReader((item) => {
    if (isRootPlan(item)) trailerWritten = true;
  });
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  process.stdout.write = (chunk: unknown, ...rest: unknown[]) => {
    const written = write(chunk, ...rest);
    if (Buffer.isBuffer(chunk)) read(chunk);
    return written;
  };
  process.on('exit', (code) => {
    if (code !== 0) return;
    if (trailerWritten && process.stdout.writableLength === 0) return;
    process.stderr.write("report-guard: this test file's process is exiting before all of its results reached the test runner\n");
    process.exitCode = 1;
  });
}

if (isMainThread) blockingStdout();
if (inTestFileProcess) guardReport();
