/**
 * The request journal: every API request (control API requests excepted) with its verb, resource,
 * user agent, field manager, response code and the resourceVersion of the object or list it
 * answered with, in a bounded ring buffer. Recorded by an onResponse hook; a watch is recorded
 * when its stream starts, with the resourceVersion it asked to start from.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest } from '../../apimachinery/status.js';
import { faultsFiredOn } from './faults.js';
import { isControlRequest, requestFacts, resourcePath } from './request-facts.js';

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

/** The first resourceVersion of a JSON or YAML body: the object's, or the list's own. */
export function resourceVersionOf(payload: unknown): string | undefined {
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) && payload[0] !== 0x6b ? payload.toString('utf8', 0, Math.min(payload.length, 1 << 16)) : undefined;
  if (!text) return undefined;
  const i = text.indexOf(JSON_RV);
  if (i >= 0) return text.slice(i + JSON_RV.length, text.indexOf('"', i + JSON_RV.length));
  return text.startsWith('{') ? undefined : YAML_RV.exec(text)?.[1];
}

export class RequestJournal {
  private readonly ring: (JournalEntry | undefined)[];
  private next = 0;
  private seq = 0;
  private cleared = 0;
  private readonly rvOf = new WeakMap<FastifyRequest, string>();
  private readonly started = new WeakSet<FastifyRequest>();

  constructor(readonly capacity = DEFAULT_JOURNAL_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`journal size must be a positive integer, got ${capacity}`);
    this.ring = new Array<JournalEntry | undefined>(capacity);
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
      const e = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (e && matchesQuery(e, q)) out.push(e);
    }
    return out;
  }

  clear(): number {
    const n = Math.min(this.capacity, this.seq - this.cleared);
    this.ring.fill(undefined);
    this.cleared = this.seq;
    return n;
  }

  private push(entry: Omit<JournalEntry, 'seq'>): void {
    const e = { seq: ++this.seq, ...entry };
    this.ring[this.next] = e;
    this.next = (this.next + 1) % this.capacity;
  }

  /** onRequest: a watch is journaled when its stream starts (its response head is written). */
  readonly onRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (isControlRequest(request) || requestFacts(request).verb !== 'watch') return;
    const raw = reply.raw;
    const writeHead = raw.writeHead;
    raw.writeHead = ((...args: Parameters<typeof writeHead>) => {
      raw.writeHead = writeHead;
      const result = writeHead.apply(raw, args);
      this.started.add(request);
      this.record(request, reply, new URLSearchParams(requestFacts(request).query).get('resourceVersion') ?? undefined);
      return result;
    }) as typeof writeHead;
  };

  /** onSend: notes the resourceVersion of the body. */
  readonly onSend = async (request: FastifyRequest, _reply: FastifyReply, payload: unknown): Promise<unknown> => {
    if (!isControlRequest(request)) {
      const rv = resourceVersionOf(payload);
      if (rv) this.rvOf.set(request, rv);
    }
    return payload;
  };

  readonly onResponse = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (isControlRequest(request) || this.started.has(request)) return;
    this.record(request, reply, this.rvOf.get(request));
  };

  private record(request: FastifyRequest, reply: FastifyReply, resourceVersion: string | undefined): void {
    const f = requestFacts(request);
    const entry: Omit<JournalEntry, 'seq'> = { time: new Date().toISOString(), method: f.method, path: f.path, verb: f.verb, code: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 1000) / 1000 };
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
    if (resourceVersion) entry.resourceVersion = resourceVersion;
    const faults = faultsFiredOn(request);
    if (faults) entry.faults = faults;
    this.push(entry);
  }
}

function matchesQuery(e: JournalEntry, q: JournalQuery): boolean {
  if (q.since !== undefined && e.seq <= q.since) return false;
  if (q.verb && !q.verb.includes(e.verb)) return false;
  if (q.resource !== undefined && e.resource !== q.resource) return false;
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
  if (query.verb) q.verb = query.verb.split(',').map((v) => v.trim().toLowerCase()).filter(Boolean);
  for (const key of ['resource', 'namespace', 'name', 'userAgent', 'fieldManager'] as const) if (query[key] !== undefined) q[key] = query[key];
  for (const key of ['code', 'since'] as const) {
    const raw = query[key];
    if (raw === undefined || raw === '') continue;
    if (!/^\d+$/.test(raw)) throw badRequest(`journal: ${key} must be a non-negative integer, got "${raw}"`);
    q[key] = Number(raw);
  }
  return q;
}
