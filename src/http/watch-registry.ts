/** Open watches, so that shutdown can end each of them cleanly and the control API can pick some. */
import type { FastifyRequest } from 'fastify';
import type { Status } from '../apimachinery/status.js';
import type { RequestInfo } from './request-info.js';

export interface WatchSettings {
  /** Stream length when the client gives no timeoutSeconds. */
  defaultTimeoutSeconds: number;
  bookmarkIntervalMs: number;
  /**
   * Unsent bytes of live events a watcher may have waiting behind its socket before it is closed
   * for not reading (its initial events do not count).
   */
  maxBufferedBytes: number;
}

export const DEFAULT_WATCH_SETTINGS: WatchSettings = {
  defaultTimeoutSeconds: 1800,
  bookmarkIntervalMs: 60_000,
  maxBufferedBytes: 256 * 1024,
};

/** What is known of an open watch, for picking it (fault injection, snapshot restore). */
export interface OpenWatch {
  request: FastifyRequest;
  info: RequestInfo;
  /** Ends the stream after an ERROR event carrying `status`. */
  fail(status: Status): void;
}

/** Ends a watch: cleanly (the chunked response ends), or abruptly (the connection is reset). */
export type FinishWatch = (abort?: boolean) => void;

export class WatchRegistry {
  private readonly open = new Map<FinishWatch, OpenWatch | undefined>();
  add(finish: FinishWatch, details?: OpenWatch): void {
    this.open.set(finish, details);
  }
  remove(finish: FinishWatch): void {
    this.open.delete(finish);
  }
  get size(): number {
    return this.open.size;
  }
  /** What is known of each open watch (those registered with details). */
  *details(): Iterable<OpenWatch> {
    for (const d of this.open.values()) if (d) yield d;
  }
  closeAll(): void {
    for (const finish of [...this.open.keys()]) finish();
  }
  /**
   * Ends the open watches `pick` selects: after an ERROR event when `status` is given, else by
   * ending the stream (abruptly with `abort`). Returns how many were ended.
   */
  closeMatching(pick: (w: OpenWatch) => boolean, how: { status?: Status; abort?: boolean } = {}): number {
    let n = 0;
    for (const [finish, details] of [...this.open]) {
      if (!details || !pick(details)) continue;
      n++;
      if (how.status) details.fail(how.status);
      else finish(how.abort);
    }
    return n;
  }
}
