/**
 * What the server logs about requests: one line per request at debug (method, path, status,
 * duration, user agent), as kube-apiserver's httplog at -v=3; and, for what a client did wrong,
 * the Warning headers it was sent and the reason of a refused request (400, 405, 406, 413, 414,
 * 415, 422 at warn; 401 and 403 at info). 404, 409, 410 and 429 are a client's everyday answers
 * (discovery, optimistic concurrency, an expired watch, back-off) and only show in the debug line.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const WARN_CODES = new Set([400, 405, 406, 413, 414, 415, 422]);
const INFO_CODES = new Set([401, 403]);
/** A Status body larger than this is not read back for its message. */
const MAX_STATUS_BYTES = 64 * 1024;

/** The text of each `Warning: 299 - "…"` header value (RFC 7234 warn-text, quotes unescaped). */
export function warningTexts(header: unknown): string[] {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  return values.map((v) => {
    const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(String(v));
    return m ? m[1].replace(/\\(.)/g, '$1') : String(v);
  });
}

/** The reason and message of a JSON Status body, if the payload is one. */
function statusOf(payload: unknown): { reason?: string; message?: string } | undefined {
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
  if (!text || text.length > MAX_STATUS_BYTES || !text.startsWith('{')) return undefined;
  try {
    const body = JSON.parse(text) as { kind?: unknown; reason?: unknown; message?: unknown };
    if (body.kind !== 'Status') return undefined;
    return {
      reason: typeof body.reason === 'string' ? body.reason : undefined,
      message: typeof body.message === 'string' ? body.message : undefined,
    };
  } catch {
    return undefined;
  }
}

/** pino's level numbers. */
const LEVEL_VALUES: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/** Whether a line at `level` would be written (so nothing is built for a quiet logger). */
function enabled(log: FastifyBaseLogger, level: string): boolean {
  return LEVEL_VALUES[level] >= (LEVEL_VALUES[log.level] ?? LEVEL_VALUES.info);
}

const userAgent = (request: FastifyRequest) => request.headers['user-agent'] ?? '';

function logClientMistakes(request: FastifyRequest, reply: FastifyReply, payload: unknown): void {
  const log = request.log;
  const code = reply.statusCode;
  const who = userAgent(request);
  const what = `${request.method} ${request.url}`;
  if (enabled(log, 'warn')) {
    for (const text of warningTexts(reply.getHeader('warning'))) {
      log.warn({ warning: text, userAgent: who }, `${what}: warned the client: ${text}${who ? ` (${who})` : ''}`);
    }
  }
  const level = WARN_CODES.has(code) ? 'warn' : INFO_CODES.has(code) ? 'info' : undefined;
  if (!level || !enabled(log, level)) return;
  const status = statusOf(payload);
  const why = [status?.reason, status?.message].filter(Boolean).join(': ');
  log[level](
    { statusCode: code, reason: status?.reason, userAgent: who },
    `${what}: answered ${code}${why ? ` ${why}` : ''}${who ? ` (${who})` : ''}`,
  );
}

/**
 * The hooks are registered only for what the server's level writes (its logger's level is set once,
 * at start): at the default `info` no hook runs after a response, at `silent` none at all.
 */
export function registerRequestLog(app: FastifyInstance): void {
  // Callback hooks, not async ones: no promise per request on the path every request takes.
  if (enabled(app.log, 'warn'))
    app.addHook('onSend', (request, reply, payload, done) => {
      try {
        if (enabled(request.log, 'warn')) logClientMistakes(request, reply, payload);
      } catch (e) {
        return done(e as Error);
      }
      done(null, payload);
    });
  if (!enabled(app.log, 'debug')) return;
  app.addHook('onResponse', (request, reply, done) => {
    if (!enabled(request.log, 'debug')) return done();
    const ms = reply.elapsedTime;
    const who = userAgent(request);
    request.log.debug(
      { method: request.method, path: request.url, statusCode: reply.statusCode, durationMs: Math.round(ms * 10) / 10, userAgent: who },
      `${request.method} ${request.url} ${reply.statusCode} ${ms.toFixed(1)}ms${who ? ` ${who}` : ''}`,
    );
    done();
  });
}
