/**
 * WATCH: newline-delimited JSON events over a chunked response. Replay from the revision log and
 * the switch to live events happen in one synchronous step, so there is no gap and no duplicate.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import { badRequest, invalid, StatusError, type Status } from '../../apimachinery/status.js';
import { forbiddenField } from '../../apimachinery/field-errors.js';
import { parseFieldSelector } from '../../apimachinery/fields.js';
import { matchesOptions, parseListOptions, type ListOptions } from '../../registry/list-options.js';
import { parseResourceVersion } from '../../registry/paged-list.js';
import { apiVersionOf, type ResourceDefinition } from '../../registry/resource-definition.js';
import type { ChangeEvent } from '../../registry/watch-hub.js';
import type { HandlerContext } from './context.js';
import type { WatchSettings, WatchRegistry } from '../watch-registry.js';
import { bookmarkObjectJson, watchObjectEncoder } from '../representation.js';
import { stringifyGo } from '../../apimachinery/go-json.js';
import { parseQueryBool } from '../../apimachinery/query-params.js';

type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

interface Decision {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  json?: string;
}

/** What a watcher with these options sees of one change (selector entry and exit included). */
export function decide(def: ResourceDefinition, namespace: string | undefined, opts: ListOptions, ev: ChangeEvent): Decision | undefined {
  if (namespace !== undefined && def.namespaced && ev.namespace !== namespace) return undefined;
  const filtered = opts.labelSelector || opts.fieldSelector;
  if (!filtered) return { type: ev.type, object: ev.object, json: ev.json };
  const now = matchesOptions(def, ev.object, opts);
  if (ev.type !== 'MODIFIED') return now ? { type: ev.type, object: ev.object, json: ev.json } : undefined;
  const before = ev.previous ? matchesOptions(def, ev.previous, opts) : now;
  if (now && before) return { type: 'MODIFIED', object: ev.object, json: ev.json };
  if (now) return { type: 'ADDED', object: ev.object, json: ev.json };
  if (before && ev.previous) {
    const gone = { ...ev.previous, metadata: { ...ev.previous.metadata, resourceVersion: String(ev.rv) } };
    return { type: 'DELETED', object: gone };
  }
  return undefined;
}

/**
 * Plain-JSON frames of one live change, encoded once and shared by every watcher that passes it on
 * unchanged (the Buffer is written as is; only Table watchers and selector exits build their own).
 */
const sharedFrames = new WeakMap<ChangeEvent, Map<string, Buffer>>();
function sharedFrame(ev: ChangeEvent, type: WatchEventType): Buffer {
  let frames = sharedFrames.get(ev);
  if (!frames) sharedFrames.set(ev, (frames = new Map<string, Buffer>()));
  let buf = frames.get(type);
  if (!buf) frames.set(type, (buf = Buffer.from(frame(type, ev.json))));
  return buf;
}

function frame(type: WatchEventType, json: string): string {
  return `{"type":"${type}","object":${json}}\n`;
}

function parseWatchOptions(c: HandlerContext) {
  const q = c.query;
  const opts = parseListOptions(c.store.def, { ...q, limit: undefined, continue: undefined });
  if (c.info.name) {
    const byName = parseFieldSelector(`metadata.name=${c.info.name}`);
    if (opts.fieldSelector && opts.fieldSelector.requiredValue('metadata.name') !== c.info.name) {
      throw badRequest('fieldSelector metadata.name doesn\'t match requested name');
    }
    opts.fieldSelector ??= byName;
  }
  const bookmarks = parseQueryBool(q.allowWatchBookmarks);
  const initialEvents = parseQueryBool(q.sendInitialEvents);
  if (q.sendInitialEvents !== undefined) {
    const errors = [];
    if (q.resourceVersionMatch !== 'NotOlderThan') errors.push(forbiddenField('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    if (initialEvents && !bookmarks) errors.push(forbiddenField('allowWatchBookmarks', 'sendInitialEvents requires setting allowWatchBookmarks to true'));
    if (errors.length) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errors);
  } else if (q.resourceVersionMatch) {
    throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', [forbiddenField('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch')]);
  }
  let timeoutSeconds: number | undefined;
  if (q.timeoutSeconds !== undefined && q.timeoutSeconds !== '') {
    timeoutSeconds = Number(q.timeoutSeconds);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw badRequest(`invalid timeoutSeconds: ${q.timeoutSeconds}`);
  }
  return { opts, bookmarks, initialEvents, timeoutSeconds, rv: q.resourceVersion };
}

export function watchObjects(c: HandlerContext, watches: WatchRegistry, settings: WatchSettings): void {
  const def = c.store.def;
  const { opts, bookmarks, initialEvents, timeoutSeconds, rv } = parseWatchOptions(c);
  const storage = c.registry.storage;
  const encode = watchObjectEncoder(c);
  const namespace = def.namespaced ? c.info.namespace : undefined;
  let startRv: number | undefined;
  if (rv && rv !== '0') startRv = parseResourceVersion(rv);

  const res = c.reply.raw;
  c.reply.hijack();
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  let closed = false;
  // The stream's timeout and bookmarks follow kubemock's clock (a manual clock: only when advanced).
  const clock = c.registry.options.clock;
  const timers: (() => void)[] = [];
  const write = (text: string | Buffer) => {
    if (closed) return;
    res.write(text);
    if (res.writableLength > settings.maxBufferedBytes) finish(true);
  };
  const bookmark = (extra?: Record<string, string>) => {
    const meta: Record<string, unknown> = { resourceVersion: String(storage.currentRevision()) };
    if (extra) meta.annotations = extra;
    write(frame('BOOKMARK', bookmarkObjectJson(c, { kind: def.kind, apiVersion: apiVersionOf(def), metadata: meta })));
  };
  const errorEvent = (status: Status) => write(frame('ERROR', stringifyGo(status)));
  let unsubscribe = () => {};
  const finish = (abort = false) => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const cancel of timers) cancel();
    watches.remove(finish);
    if (abort) res.destroy();
    else res.end();
  };
  res.on('close', () => finish());
  watches.add(finish, { request: c.request, info: c.info, fail: (status) => (errorEvent(status), finish()) });

  if (!encode) return finish(); // no event can be encoded in the representation asked for
  const current = storage.currentRevision();
  // A resume from the log must still be in this kind's watch window (initial events come from the state).
  const expired = startRv !== undefined && !initialEvents ? c.store.watchExpired(startRv) : undefined;
  if (expired) {
    errorEvent(expired.status);
    finish();
    return;
  }
  if (startRv !== undefined && startRv > current) {
    errorEvent(new StatusError(504, 'Timeout', `Too large resource version: ${startRv}, current: ${current}`, { retryAfterSeconds: 1 }).status);
    finish();
    return;
  }
  // Replay (initial state or the log after startRv), then go live, in one synchronous step.
  if (startRv === undefined || initialEvents) {
    const initial = c.store.list(namespace, { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
    initial.raw.forEach((json, i) => write(frame('ADDED', encode(initial.items[i], json))));
    if (initialEvents) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    for (const row of storage.eventsAfter(startRv, current, def.plural)) {
      const object = JSON.parse(row.body) as KubeObject;
      const ev: ChangeEvent = { type: row.type, resource: row.resource, namespace: row.namespace, name: row.name, rv: row.id, object, json: row.body };
      if (row.prevBody) ev.previous = JSON.parse(row.prevBody) as KubeObject;
      const d = decide(def, namespace, opts, ev);
      if (d) write(frame(d.type, encode(d.object, d.json)));
    }
  }
  // Shared frames hold the stored form as is: a served version (def.conversion) or a Table or
  // metadata-only watcher encodes its own.
  const plainJson = !c.format.convert && !def.conversion;
  unsubscribe = c.registry.hub.subscribe(def.plural, (ev) => {
    const d = decide(def, namespace, opts, ev);
    if (!d) return;
    write(plainJson && d.json === ev.json ? sharedFrame(ev, d.type) : frame(d.type, encode(d.object, d.json)));
  });
  if (closed) return;
  const timeoutMs = (timeoutSeconds ?? settings.defaultTimeoutSeconds) * 1000;
  timers.push(clock.after(timeoutMs, () => finish()));
  if (bookmarks) {
    const tick = () => {
      bookmark();
      timers.push(clock.after(settings.bookmarkIntervalMs, tick));
    };
    timers.push(clock.after(settings.bookmarkIntervalMs, tick));
  }
}
