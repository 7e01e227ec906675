// One collection of the Kubernetes API kept in step the way client-go's reflector does it: list,
// then watch from the list's resourceVersion; a watch that ends is resumed from the last
// resourceVersion seen (bookmarks included); 410 Gone (an HTTP answer or an ERROR event) means
// that version is too old, so list again. Other failures list again after a pause.

import { withCredentials } from './credentials.js';

const RETRY_MS = 1000;

export class Informer {
  /**
   * @param {string} path collection path, e.g. /api/v1/nodes
   * @param {{ reset(items: object[]): void, event(type: string, object: object): void, state?(state: string): void }} handlers
   */
  constructor(path, handlers) {
    this.path = path;
    this.handlers = handlers;
    this.abort = new AbortController();
  }

  start() {
    void this.run();
    return this;
  }

  stop() {
    this.abort.abort();
  }

  get stopped() {
    return this.abort.signal.aborted;
  }

  async run() {
    while (!this.stopped) {
      try {
        this.setState('listing');
        let rv = await this.list();
        this.setState('live');
        for (;;) {
          const next = await this.watch(rv);
          if (next === undefined) break; // 410: list again
          rv = next;
        }
      } catch (err) {
        if (this.stopped) return;
        this.setState('error', err);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  setState(state, err) {
    if (!this.stopped) this.handlers.state?.(state, err);
  }

  url(query) {
    const url = new URL(this.path, location.href);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url;
  }

  /** Lists the collection, hands every item over, and returns the list's resourceVersion. */
  async list() {
    const res = await fetch(this.url({}), { signal: this.abort.signal, headers: withCredentials({ accept: 'application/json' }) });
    if (!res.ok) throw new Error(`list ${this.path}: ${res.status} ${await res.text()}`);
    const list = await res.json();
    if (this.stopped) throw new Error('stopped');
    this.handlers.reset(list.items ?? []);
    return list.metadata.resourceVersion;
  }

  /**
   * Watches from `rv` until the stream ends; returns the resourceVersion to resume from, or
   * undefined when the server says it is too old (410) and the caller must list again.
   */
  async watch(rv) {
    const res = await fetch(this.url({ watch: '1', resourceVersion: rv, allowWatchBookmarks: 'true' }), {
      signal: this.abort.signal,
      headers: withCredentials({ accept: 'application/json' }),
    });
    if (res.status === 410) return undefined;
    if (!res.ok || !res.body) throw new Error(`watch ${this.path}: ${res.status} ${await res.text()}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return rv;
      buffered += value;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line === '') continue;
        const { type, object } = JSON.parse(line);
        if (type === 'ERROR') {
          await reader.cancel().catch(() => {});
          if (object?.code === 410) return undefined;
          throw new Error(`watch ${this.path}: ${object?.message ?? line}`);
        }
        if (object?.metadata?.resourceVersion) rv = object.metadata.resourceVersion;
        if (type !== 'BOOKMARK') this.handlers.event(type, object);
      }
    }
  }
}
