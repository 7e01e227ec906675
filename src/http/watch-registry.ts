/** Open watches, so that shutdown can end each of them cleanly. */
export interface WatchSettings {
  /** Stream length when the client gives no timeoutSeconds. */
  defaultTimeoutSeconds: number;
  bookmarkIntervalMs: number;
  /** A watcher that lets more than this pile up unread is disconnected. */
  maxBufferedBytes: number;
}

export const DEFAULT_WATCH_SETTINGS: WatchSettings = {
  defaultTimeoutSeconds: 1800,
  bookmarkIntervalMs: 60_000,
  maxBufferedBytes: 16 * 1024 * 1024,
};

export class WatchRegistry {
  private readonly open = new Set<() => void>();
  add(finish: () => void): void {
    this.open.add(finish);
  }
  remove(finish: () => void): void {
    this.open.delete(finish);
  }
  get size(): number {
    return this.open.size;
  }
  closeAll(): void {
    for (const finish of [...this.open]) finish();
  }
}
