/**
 * Fault injection: rules (fault-rules.ts) checked by an onRequest hook against every API request,
 * answering a Kubernetes Status (409, 410, 429, 500, 503…), adding latency, or cutting a watch
 * stream. A rule with a count is removed once spent. Only HTTP requests are affected: the
 * controllers inside kubemock write straight to the registry.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  OPTIMISTIC_LOCK_MESSAGE,
  StatusError,
  badRequest,
  conflict,
  forbidden,
  internalError,
  notFound,
  resourceExpired,
  serviceUnavailable,
  tooManyRequests,
} from '../../apimachinery/status.js';
import type { WatchRegistry } from '../watch-registry.js';
import { matches, parseFaultSpec, seededRandom, type FaultSpec } from './fault-rules.js';
import { isControlRequest, requestFacts, type RequestFacts } from './request-facts.js';

export interface FaultRule extends FaultSpec {
  id: string;
  /** How many times it fired so far. */
  fired: number;
}

interface LiveRule extends FaultRule {
  random: () => number;
}

const firedOn = new WeakMap<FastifyRequest, string[]>();

/** The ids of the rules that fired on a request (for the journal). */
export function faultsFiredOn(request: FastifyRequest): string[] | undefined {
  return firedOn.get(request);
}

/** What the faults read of the store: its current resourceVersion (the registry answers it). */
export interface RevisionSource {
  currentRevision(): number;
}

const CUT_RETRY_MS = 10;
const CUT_GIVE_UP_MS = 1000;

export class FaultInjector {
  private rules: LiveRule[] = [];
  private seq = 0;
  /** How often rules fired, by action and (for error rules) status, spent rules included: `action/status`. */
  readonly firedTotals = new Map<string, number>();

  constructor(
    private readonly watches: WatchRegistry,
    private readonly revisions: RevisionSource,
  ) {}

  /** Adds a rule (JSON as posted); a cut-watch rule also cuts the matching watches open now. */
  add(body: unknown): FaultRule {
    const spec = parseFaultSpec(body);
    const rule: LiveRule = {
      id: `fault-${++this.seq}`,
      ...spec,
      fired: 0,
      random: seededRandom(spec.seed ?? Math.floor(Math.random() * 2 ** 32)),
    };
    this.rules.push(rule);
    if (rule.action === 'cut-watch') {
      this.watches.closeMatching(
        (w) =>
          this.rules.includes(rule) &&
          matches(rule, { info: w.info, userAgent: w.request.headers['user-agent'] }) &&
          this.fire(rule, w.request),
        { abort: rule.abrupt },
      );
    }
    return publicRule(rule);
  }

  list(): FaultRule[] {
    return this.rules.map(publicRule);
  }

  get(id: string): FaultRule | undefined {
    const rule = this.rules.find((r) => r.id === id);
    return rule && publicRule(rule);
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): number {
    const n = this.rules.length;
    this.rules = [];
    return n;
  }

  /** Whether any rule is set (without one the onRequest hook has nothing to do). */
  get active(): boolean {
    return this.rules.length > 0;
  }

  /** The onRequest hook (callback style: with no rules it costs next to nothing). */
  readonly onRequest = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void => {
    if (this.rules.length === 0 || isControlRequest(request)) return done();
    this.apply(request, reply).then(
      (answered) => (answered ? undefined : done()),
      (err: Error) => done(err),
    );
  };

  /** Applies the rules; true when a rule answered the request. */
  private async apply(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const facts = requestFacts(request);
    if (!facts.info) return false;
    let latency = 0;
    for (const rule of [...this.rules]) {
      if (!matches(rule, facts) || !this.fire(rule, request)) continue;
      if (rule.action === 'latency') latency += rule.latencyMs ?? 0;
      else if (rule.action === 'cut-watch') this.scheduleCut(request, rule);
      else {
        if (latency) await sleep(latency);
        answer(reply, rule, facts, this.revisions);
        return true;
      }
    }
    if (latency) await sleep(latency);
    return false;
  }

  /** Whether the rule fires now (probability), counting it and retiring it once spent. */
  private fire(rule: LiveRule, request: FastifyRequest): boolean {
    if (rule.probability !== undefined && rule.probability < 1 && !(rule.random() < rule.probability)) return false;
    rule.fired++;
    const total = `${rule.action}/${rule.action === 'error' ? (rule.status ?? 500) : ''}`;
    this.firedTotals.set(total, (this.firedTotals.get(total) ?? 0) + 1);
    if (rule.count !== undefined && rule.fired >= rule.count) this.rules = this.rules.filter((r) => r !== rule);
    const ids = firedOn.get(request) ?? [];
    ids.push(rule.id);
    firedOn.set(request, ids);
    return true;
  }

  /** Cuts this request's watch `afterMs` after it started (it registers once its handler runs). */
  private scheduleCut(request: FastifyRequest, rule: FaultRule): void {
    const giveUp = Date.now() + (rule.afterMs ?? 0) + CUT_GIVE_UP_MS;
    const cut = () => {
      const n = this.watches.closeMatching((w) => w.request === request, { abort: rule.abrupt });
      if (n === 0 && Date.now() < giveUp && !request.raw.destroyed) setTimeout(cut, CUT_RETRY_MS).unref();
    };
    setTimeout(cut, rule.afterMs ?? 0).unref();
  }
}

function publicRule(rule: LiveRule): FaultRule {
  const { random: _random, ...rest } = rule;
  return { ...rest, ...(rule.verb ? { verb: [...rule.verb] } : {}) };
}

/** The Status a rule answers with, worded as kube-apiserver words it. */
export function faultError(rule: FaultSpec, facts: RequestFacts, revisions: RevisionSource): StatusError {
  const info = facts.info!;
  const gr = { group: info.group, resource: info.resource };
  const name = info.name ?? '';
  const m = rule.message;
  const retry = rule.retryAfterSeconds;
  switch (rule.status) {
    case 409:
      return m ? new StatusError(409, 'Conflict', m) : conflict(gr, name, OPTIMISTIC_LOCK_MESSAGE);
    case 410: {
      const rv = new URLSearchParams(facts.query).get('resourceVersion');
      return resourceExpired(
        m ??
          (rv
            ? `too old resource version: ${rv} (${revisions.currentRevision()})`
            : 'The resourceVersion for the provided list is too old.'),
      );
    }
    case 429:
      return tooManyRequests(m ?? 'Too many requests, please try again later.', retry ?? 1);
    case 500:
      return internalError(m ?? 'injected fault');
    case 503:
      return serviceUnavailable(m ?? 'the server is currently unable to handle the request', retry);
    case 404:
      return m ? new StatusError(404, 'NotFound', m) : notFound(gr, name);
    case 403:
      return forbidden(gr, name, m ?? 'injected fault');
    case 400:
      return badRequest(m ?? 'injected fault');
    case 422:
      return new StatusError(422, 'Invalid', m ?? `${info.resource} "${name}" is invalid: injected fault`);
    case 504:
      return new StatusError(
        504,
        'Timeout',
        m ?? 'the server was unable to return a response in the time allotted, but may still be processing the request',
      );
    default:
      return new StatusError(rule.status ?? 500, 'InternalError', m ?? 'injected fault');
  }
}

function answer(reply: FastifyReply, rule: FaultSpec, facts: RequestFacts, revisions: RevisionSource): FastifyReply {
  const status = faultError(rule, facts, revisions).status;
  reply.header('content-type', 'application/json');
  // A watch learns of an expired resourceVersion from an ERROR event in a 200 stream, as from kube-apiserver.
  if (status.code === 410 && facts.info?.verb === 'watch') {
    return reply.code(200).send(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
  }
  const retry = status.details?.retryAfterSeconds;
  if (retry !== undefined && (status.code === 429 || status.code === 503)) reply.header('retry-after', String(retry));
  return reply.code(status.code ?? 500).send(JSON.stringify(status));
}
