/**
 * Per-client limits, API Priority and Fairness in spirit and simple in form: each client gets at
 * most `maxInFlight` requests being served at once; more wait in its own queue (first come, first
 * served) up to `maxQueued`; beyond that the request is rejected at once with 429, a Retry-After
 * and upstream's wording, so a runaway client is held back by its own queue and everyone else goes
 * on being served.
 *
 * A client is its user when authenticated, else its address and User-Agent (with authentication
 * off every request is the same user). Exempt as upstream: long-running requests (watch, and the
 * log, exec, attach, portforward and proxy subresources), the health checks and the control API.
 * Unlike upstream, system:masters is not exempt, as every request is a master while authentication
 * is off.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tooManyRequests } from '../apimachinery/status.js';
import { ANONYMOUS, UNSECURED_USER } from '../apimachinery/user-info.js';
import { sendStatus } from './error-handler.js';
import { isControlRequest, requestFacts } from './control/request-facts.js';

export interface ClientLimitSettings {
  /** Requests of one client served at once (0: no limits at all). */
  maxInFlight: number;
  /** Requests of one client waiting for one of its seats; more are answered 429. */
  maxQueued: number;
}

/** Seconds a rejected client is told to wait (kube-apiserver's default). */
const RETRY_AFTER_SECONDS = 1;
const LONG_RUNNING_SUBRESOURCES = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);
const HEALTH_PATHS = /^\/(healthz|livez|readyz)(\/|\?|$)/;

interface ClientState {
  inFlight: number;
  queue: (() => void)[];
}

function isExempt(request: FastifyRequest): boolean {
  if (isControlRequest(request) || HEALTH_PATHS.test(request.url)) return true;
  const { info } = requestFacts(request);
  return info?.verb === 'watch' || (info?.subresource !== undefined && LONG_RUNNING_SUBRESOURCES.has(info.subresource));
}

function clientOf(request: FastifyRequest): string {
  const { username } = request.user;
  if (username !== UNSECURED_USER.username && username !== ANONYMOUS) return `user ${username}`;
  return `${request.socket.remoteAddress ?? ''} ${request.headers['user-agent'] ?? ''}`;
}

export function registerClientLimits(fastify: FastifyInstance, settings: ClientLimitSettings): void {
  if (settings.maxInFlight <= 0) return;
  const clients = new Map<string, ClientState>();

  const release = (key: string, state: ClientState) => {
    const next = state.queue.shift();
    if (next) return next(); // the seat passes to the oldest waiting request
    state.inFlight--;
    if (state.inFlight === 0) clients.delete(key);
  };

  // After authentication (onRequest), before the body is read.
  fastify.addHook('preParsing', (request: FastifyRequest, reply: FastifyReply, payload, done) => {
    if (isExempt(request)) return done(null, payload);
    const key = clientOf(request);
    let state = clients.get(key);
    if (!state) clients.set(key, (state = { inFlight: 0, queue: [] }));
    const admitted = state;
    let seated = false;
    const seat = () => {
      seated = true;
      reply.raw.once('close', () => release(key, admitted));
    };
    if (state.inFlight < settings.maxInFlight) {
      state.inFlight++;
      seat();
      return done(null, payload);
    }
    if (state.queue.length >= settings.maxQueued) {
      sendStatus(reply, tooManyRequests('Too many requests, please try again later.', RETRY_AFTER_SECONDS).status);
      return;
    }
    const wake = () => {
      if (reply.raw.destroyed) return release(key, admitted); // gone while waiting: the seat passes on
      seat();
      done(null, payload);
    };
    state.queue.push(wake);
    // A request whose client goes away while it waits leaves the queue.
    reply.raw.once('close', () => {
      if (seated) return;
      const i = admitted.queue.indexOf(wake);
      if (i >= 0) admitted.queue.splice(i, 1);
    });
  });
}
