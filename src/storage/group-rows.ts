/**
 * The log rows of the open group for the writer thread, each body encoded as UTF-8 the moment it
 * is written. The body's string then dies young: kept as a string until the group ended (a turn's
 * worth of writes), a third of the serving thread's bodies lived through a young-generation
 * collection and were copied for it (a sampling profile of what survives them: 213 MB of 615 at
 * 10,000 nodes × 1 DaemonSet). The bytes go to the thread as they are, in chunks handed over
 * whole; a read of a row not written yet decodes its body again.
 */
import type { EventType } from './object-store.js';

/** A log row but its body: id (its revision), resource, namespace, name, type, the row it replaced. */
export type LogRowMeta = [number, string, string, string, EventType, number | null];

/** Bytes the first chunk of a group holds unless its first body needs more (most groups are a few rows), and each later one. */
const FIRST_CHUNK_BYTES = 8 * 1024;
const CHUNK_BYTES = 64 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class GroupRows {
  readonly meta: LogRowMeta[] = [];
  /** Per row, three numbers: its chunk, where its body starts and where it ends there. */
  private places: number[] = [];
  private readonly chunks: Uint8Array[] = [];
  private current: Uint8Array | undefined;
  private at = 0;
  /** Rows by revision: the reads of rows not written yet. */
  private readonly byRevision = new Map<number, number>();

  get length(): number {
    return this.meta.length;
  }

  /** The first row's revision (the group's first). */
  get firstRevision(): number {
    return this.meta[0][0];
  }

  add(meta: LogRowMeta, body: string): void {
    // JSON is almost always ASCII, a byte per character; a body that needs more is encoded again into room for the most it can take.
    let chunk = this.room(body.length);
    let done = encoder.encodeInto(body, chunk.subarray(this.at));
    if (done.read < body.length) {
      chunk = this.room(3 * body.length, true);
      done = encoder.encodeInto(body, chunk.subarray(this.at));
    }
    this.byRevision.set(meta[0], this.meta.length);
    this.meta.push(meta);
    this.places.push(this.chunks.length - 1, this.at, this.at + done.written);
    this.at += done.written;
  }

  /** The body of the row of revision `rv`, if it is one of these. */
  bodyOf(rv: number): string | undefined {
    const i = this.byRevision.get(rv);
    if (i === undefined) return undefined;
    const p = this.places;
    return decoder.decode(this.chunks[p[3 * i]].subarray(p[3 * i + 1], p[3 * i + 2]));
  }

  /** What the writer thread is handed: the rows, where each body is, and the chunks (to be transferred). */
  handOver(): { rows: LogRowMeta[]; places: Uint32Array; chunks: ArrayBuffer[] } {
    return { rows: this.meta, places: Uint32Array.from(this.places), chunks: this.chunks.map((c) => c.buffer as ArrayBuffer) };
  }

  /** The current chunk with `bytes` free from `at`, or a new one (`fresh`: a new one in any case). */
  private room(bytes: number, fresh = false): Uint8Array {
    const current = this.current;
    if (current && !fresh && current.length - this.at >= bytes) return current;
    // The last chunk's unused end stays behind: the thread reads each body by its place.
    const chunk = new Uint8Array(Math.max(this.chunks.length === 0 ? FIRST_CHUNK_BYTES : CHUNK_BYTES, bytes));
    this.chunks.push(chunk);
    this.current = chunk;
    this.at = 0;
    return chunk;
  }
}
