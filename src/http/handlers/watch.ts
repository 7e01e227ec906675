/**
 * WATCH: the store's watch (registry/store-watch.ts) as newline-delimited JSON events over a
 * chunked response. This layer only encodes the events in the representation asked for and
 * manages the connection (watch-stream.ts: the per-watcher buffer), the end, the open-watch registry.
 */
import type { Status } from '../../apimachinery/status.js';
import { stringifyGo } from '../../apimachinery/go-json.js';
import type { ObjectEvent, WatchEventType } from '../../registry/store-watch.js';
import { parseWatchQuery } from '../../registry/watch-options.js';
import type { HandlerContext } from './context.js';
import type { WatchSettings, WatchRegistry } from '../watch-registry.js';
import { bookmarkObjectJson, watchObjectEncoder } from '../representation.js';
import { WatchStream } from '../watch-stream.js';
import type { WatchFanOut } from '../watch-fan-out.js';
import type { WatchEventCell } from '../../apimachinery/metrics/apiserver.js';

/**
 * Plain-JSON frames of the events the store passes to every watcher as one object (a live change
 * as committed, the initial state of watches started together), encoded once and shared by all of
 * them (the Buffer is written as is).
 */
const sharedFrames = new WeakMap<ObjectEvent, Buffer>();
function sharedFrame(ev: ObjectEvent, json: string): Buffer {
  let buf = sharedFrames.get(ev);
  if (!buf) sharedFrames.set(ev, (buf = Buffer.from(frame(ev.type, json))));
  return buf;
}

function frame(type: WatchEventType, json: string): string {
  return `{"type":"${type}","object":${json}}\n`;
}

/** `fanOut` is the app's (watch-fan-out.ts); `sent`, when given, counts every event sent (apiserver_watch_events_total). */
export async function watchObjects(
  c: HandlerContext,
  watches: WatchRegistry,
  settings: WatchSettings,
  fanOut: WatchFanOut,
  sent?: WatchEventCell,
): Promise<void> {
  const def = c.store.def;
  const options = parseWatchQuery(def, c.query);
  // Initial events of a state not reached yet wait for it first, as the watch cache does (the
  // watch then fails with its ERROR event if it does not come in time).
  const waiting =
    options.sendInitialEvents && options.resourceVersion ? c.registry.waitForRevision(Number(options.resourceVersion)) : undefined;
  if (waiting) await waiting.catch(() => undefined);
  // Bad options are an error answer, before the stream starts.
  const watch = c.store.watch({
    ...options,
    namespace: def.namespaced ? c.info.namespace : undefined,
    name: c.info.name,
    timeoutSeconds: options.timeoutSeconds ?? settings.defaultTimeoutSeconds,
    bookmarkIntervalMs: settings.bookmarkIntervalMs,
  });
  const encode = watchObjectEncoder(c);

  const res = c.reply.raw;
  c.reply.hijack();
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  let closed = false;
  const stream = new WatchStream(res, {
    maxBufferedBytes: settings.maxBufferedBytes,
    fanOut,
    whenDurable: () => c.store.whenDurable(),
    isDurable: () => c.store.isDurable(),
    // As kube-apiserver's cacher, a watcher that does not take its events is closed rather than waited for.
    onOverflow(queued) {
      c.request.log.warn(`closing the ${def.plural} watch of an unresponsive client: ${queued} bytes of events unsent`);
      finish(true);
    },
  });
  const write = (text: string | Buffer) => stream.write(text);
  const errorEvent = (status: Status) => write(frame('ERROR', stringifyGo(status)));
  const finish = (abort = false) => {
    if (closed) return;
    closed = true;
    watch.stop();
    watches.remove(finish);
    if (abort) stream.abort();
    else stream.end();
  };
  // The client is gone: what is queued for it goes too.
  res.on('close', () => finish(true));
  watches.add(finish, { request: c.request, info: c.info, fail: (status) => (errorEvent(status), finish()) });

  if (!encode) return finish(); // no event can be encoded in the representation asked for
  // Shared frames hold the stored form as is: a served version (def.conversion) or a Table or
  // metadata-only watcher encodes its own.
  const plainJson = !c.format.convert && !def.conversion;
  stream.replaying = true;
  watch.start(
    {
      next(ev) {
        if (sent) sent.n++;
        if (ev.type === 'BOOKMARK') write(frame('BOOKMARK', bookmarkObjectJson(c, ev.object)));
        else if (ev.type === 'ERROR') errorEvent(ev.object);
        else if (plainJson && ev.json !== undefined) write(sharedFrame(ev, ev.json));
        else write(frame(ev.type, encode(ev.object, ev.json)));
      },
      end: () => finish(),
    },
    // A large initial state goes out a slice per turn, other requests served between slices.
    { replayed: () => (stream.replaying = false) },
  );
}
