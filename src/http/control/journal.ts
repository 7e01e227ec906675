/**
 * The request journal: every API request (control API requests excepted) with its verb, resource,
 * user agent, field manager, response code and the resourceVersion of the object or list it
 * answered with, in a bounded ring buffer. Recorded by an onResponse hook, which only copies what
 * it has at hand (the rest is derived when the journal is read, so the hot path stays cheap); a
 * watch is recorded when its stream starts, with the resourceVersion it asked to start from.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest } from '../../apimachinery/status.js';
import { faultsFiredOn } from './faults.js';
import { factsOf, isControlRequest, requestFacts, resourcePath } from './request-facts.js';

export const DEFAULT_JOURNAL_SIZE = 10_000;

export interface JournalEntry {
  /** Position in the journal, from 1, never reused (also not after a clear). */
  seq: number;
  /** Wall-clock time the response ended (RFC 3339, milliseconds). */
  time: string;
  method: string;
  path: string;
  query?: string;
  verb: string;
  group?: string;
  version?: string;
  /** Plural resource; `pods/status` for a subresource. */
  resource?: string;
  namespace?: string;
  name?: string;
  userAgent?: string;
  fieldManager?: string;
  code: number;
  resourceVersion?: string;
  durationMs: number;
  /** Ids of the fault rules that fired on the request. */
  faults?: string[];
}

export interface JournalQuery {
  verb?: string[];
  resource?: string;
  /** The API group ('' for core), telling `pods` from a custom `pods.example.com`. */
  group?: string;
  namespace?: string;
  name?: string;
  userAgent?: string;
  fieldManager?: string;
  code?: number;
  /** Entries after this seq. */
  since?: number;
}

const JSON_RV = '"resourceVersion":"';
const YAML_RV = /^\s*resourceVersion:\s*"?(\d+)"?\s*$/m;
/** How far into a body its resourceVersion is looked for. */
const RV_SCAN_BYTES = 1 << 16;

/** The first resourceVersion of a JSON or YAML body: the object's, or the list's own. */
export function resourceVersionOf(payload: unknown): string | undefined {
  if (typeof payload === 'string') return rvOfText(payload);
  // A protobuf body starts with "k8s"; a JSON one is searched as bytes, with no text made of it.
  if (!Buffer.isBuffer(payload) || payload.length === 0 || payload[0] === 0x6b) return undefined;
  const head = payload.length > RV_SCAN_BYTES ? payload.subarray(0, RV_SCAN_BYTES) : payload;
  const i = head.indexOf(JSON_RV);
  if (i >= 0) {
    const start = i + JSON_RV.length;
    const end = head.indexOf(0x22, start);
    return head.toString('utf8', start, end < 0 ? head.length - 1 : end);
  }
  return head[0] === 0x7b ? undefined : rvOfText(head.toString('utf8'));
}

function rvOfText(text: string): string | undefined {
  if (!text) return undefined;
  const i = text.indexOf(JSON_RV);
  if (i >= 0) return text.slice(i + JSON_RV.length, text.indexOf('"', i + JSON_RV.length));
  return text.startsWith('{') ? undefined : YAML_RV.exec(text)?.[1];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The journal's notes on a request: the resourceVersion its answer carried… */
    kubemockRv: string | null;
    /** …and whether it was recorded already (a watch, when its stream started). */
    kubemockRecorded: boolean;
  }
}

/** What is kept per request: only what the hooks can copy cheaply; the rest is derived when read. */
interface RawEntry {
  seq: number;
  time: number;
  method: string;
  url: string;
  userAgent: string | undefined;
  code: number;
  resourceVersion: string | undefined;
  durationMs: number;
  faults: string[] | undefined;
  entry?: JournalEntry;
}

export class RequestJournal {
  private readonly ring: (RawEntry | undefined)[];
  private next = 0;
  private seq = 0;
  private cleared = 0;

  constructor(readonly capacity = DEFAULT_JOURNAL_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`journal size must be a positive integer, got ${capacity}`);
    this.ring = new Array<RawEntry | undefined>(capacity);
  }

  /** The latest seq handed out (0 when nothing was recorded). */
  get latestSeq(): number {
    return this.seq;
  }

  /** Entries no longer held, overwritten by newer ones. */
  get dropped(): number {
    return Math.max(0, this.seq - this.cleared - this.capacity);
  }

  entries(q: JournalQuery = {}): JournalEntry[] {
    const out: JournalEntry[] = [];
    const n = Math.min(this.capacity, this.seq - this.cleared);
    for (let i = n; i > 0; i--) {
      const raw = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (!raw || (q.since !== undefined && raw.seq <= q.since)) continue;
      const e = (raw.entry ??= describe(raw));
      if (matchesQuery(e, q)) out.push(e);
    }
    return out;
  }

  clear(): number {
    const n = Math.min(this.capacity, this.seq - this.cleared);
    this.ring.fill(undefined);
    this.cleared = this.seq;
    return n;
  }

  /** Adds the request decorations the hooks use (before any route is registered). */
  decorate(app: FastifyInstance): void {
    app.decorateRequest('kubemockRv', null);
    app.decorateRequest('kubemockRecorded', false);
  }

  /** onRequest: a watch is journaled when its stream starts (its response head is written). */
  readonly onRequest = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    if (request.method === 'GET' && request.url.includes('watch') && !isControlRequest(request) && requestFacts(request).verb === 'watch')
      this.recordAtStart(request, reply);
    done();
  };

  private recordAtStart(request: FastifyRequest, reply: FastifyReply): void {
    const raw = reply.raw;
    const writeHead = raw.writeHead;
    raw.writeHead = ((...args: Parameters<typeof writeHead>) => {
      raw.writeHead = writeHead;
      const result = writeHead.apply(raw, args);
      request.kubemockRecorded = true;
      this.record(request, reply, new URLSearchParams(requestFacts(request).query).get('resourceVersion') ?? undefined);
      return result;
    }) as typeof writeHead;
  }

  /** Notes the resourceVersion of a reply's body (the app's one onSend hook calls it: durable-replies.ts). */
  readonly notePayload = (request: FastifyRequest, payload: unknown): void => {
    const rv = resourceVersionOf(payload);
    if (rv) request.kubemockRv = rv;
  };

  readonly onResponse = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    if (!request.kubemockRecorded && !isControlRequest(request)) this.record(request, reply, request.kubemockRv ?? undefined);
    done();
  };

  private record(request: FastifyRequest, reply: FastifyReply, resourceVersion: string | undefined): void {
    const raw: RawEntry = {
      seq: ++this.seq,
      time: Date.now(),
      method: request.method,
      url: request.url,
      userAgent: request.headers['user-agent'],
      code: reply.statusCode,
      resourceVersion,
      durationMs: reply.elapsedTime,
      faults: faultsFiredOn(request),
    };
    this.ring[this.next] = raw;
    this.next = (this.next + 1) % this.capacity;
  }
}

/** The entry as the journal API shows it, derived from what was kept. */
function describe(raw: RawEntry): JournalEntry {
  const f = factsOf(raw.method, raw.url, raw.userAgent);
  const entry: JournalEntry = {
    seq: raw.seq,
    time: new Date(raw.time).toISOString(),
    method: f.method,
    path: f.path,
    verb: f.verb,
    code: raw.code,
    durationMs: Math.round(raw.durationMs * 1000) / 1000,
  };
  if (f.query) entry.query = f.query;
  if (f.info) {
    entry.group = f.info.group;
    entry.version = f.info.version;
    entry.resource = resourcePath(f.info);
    if (f.info.namespace !== undefined) entry.namespace = f.info.namespace;
    if (f.info.name !== undefined) entry.name = f.info.name;
  }
  if (f.userAgent) entry.userAgent = f.userAgent;
  if (f.fieldManager) entry.fieldManager = f.fieldManager;
  if (raw.resourceVersion) entry.resourceVersion = raw.resourceVersion;
  if (raw.faults) entry.faults = raw.faults;
  return entry;
}

function matchesQuery(e: JournalEntry, q: JournalQuery): boolean {
  if (q.verb && !q.verb.includes(e.verb)) return false;
  if (q.resource !== undefined && e.resource !== q.resource) return false;
  if (q.group !== undefined && (e.group ?? '') !== q.group) return false;
  if (q.namespace !== undefined && (e.namespace ?? '') !== q.namespace) return false;
  if (q.name !== undefined && e.name !== q.name) return false;
  if (q.userAgent !== undefined && !(e.userAgent ?? '').includes(q.userAgent)) return false;
  if (q.fieldManager !== undefined && e.fieldManager !== q.fieldManager) return false;
  if (q.code !== undefined && e.code !== q.code) return false;
  return true;
}

/** A JournalQuery from URL query parameters (`verb` may list several, comma-separated). */
export function parseJournalQuery(query: Record<string, string | undefined>): JournalQuery {
  const q: JournalQuery = {};
  if (query.verb)
    q.verb = query.verb
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean);
  for (const key of ['resource', 'group', 'namespace', 'name', 'userAgent', 'fieldManager'] as const)
    if (query[key] !== undefined) q[key] = query[key];
  for (const key of ['code', 'since'] as const) {
    const raw = query[key];
    if (raw === undefined || raw === '') continue;
    if (!/^\d+$/.test(raw)) throw badRequest(`journal: ${key} must be a non-negative integer, got "${raw}"`);
    q[key] = Number(raw);
  }
  return q;
}
