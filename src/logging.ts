/**
 * The server's logger options: one JSON object a line (pino's format, for log collectors), or
 * text a person reads on a terminal (pino-pretty: time, level and message, an error's stack).
 */
import { createRequire } from 'node:module';
import type * as PinoPretty from 'pino-pretty';
import type { LogFormat } from './config.js';

/** Where log lines go: a writable stream (stdout by default). */
export interface LogDestination {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface LoggerSettings {
  level: string;
  stream: LogDestination;
}

/**
 * Fastify's `logger` options for a format. Text is written as it comes (a line is on the
 * terminal when the call returns), coloured only on a terminal; the fields are in the JSON
 * format, the text shows the words of the message (and an error's stack).
 */
export function loggerSettings(level: string, format: LogFormat, destination: LogDestination = process.stdout): LoggerSettings {
  if (format === 'json') return { level, stream: destination };
  // Loaded only for text: a JSON logger (the default off a terminal) never pays for pino-pretty.
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  const prettify = prettyFactory({
    colorize: !!destination.isTTY,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    hideObject: true,
  });
  // pino writes one JSON line per call; each becomes its text line at once.
  return { level, stream: { write: (line: string) => destination.write(prettify(line)) } };
}
