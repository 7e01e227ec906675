/**
 * CEL's timestamp() and duration() conversions as cel-go (v0.23, Kubernetes 1.33) runs them, in
 * place of @bufbuild/cel's own (same overloads, so the environment's come last and win): a string
 * becomes a duration as Go's time.ParseDuration reads it and a timestamp as Go's time.Parse reads
 * RFC 3339 (time-literals.ts); an int becomes a timestamp as seconds since the epoch (not
 * milliseconds). Both timestamps must fall within years 1 to 9999, else "timestamp overflow".
 * duration(int) is declared but never converts: cel-go's Int has no conversion to Duration. A
 * string that does not read fails with cel-go's "type conversion error from 'string' to
 * 'google.protobuf.Duration'" (or Timestamp), which a rule reports "… evaluating rule: …".
 */
import { CelScalar, celEnv, celFunc, celType, isCelError, parse, plan, type CelFunc, type CelValue } from '@bufbuild/cel';
import { parseGoDuration, inTimestampRange, readCelTimestamp } from './time-literals.js';

// @bufbuild/cel builds the values: its own conversions of canonical text it always reads.
const std = celEnv();
const stdTimestamp = plan(std, parse('timestamp(v)'));
const stdDuration = plan(std, parse('duration(v)'));

function built(result: unknown): CelValue {
  if (isCelError(result)) throw new Error(result.message);
  return result as CelValue;
}

const TIMESTAMP = celType(built(stdTimestamp({ v: '1970-01-01T00:00:00Z' })));
const DURATION = celType(built(stdDuration({ v: '0s' })));

const conversionError = (from: 'string' | 'int', to: 'Timestamp' | 'Duration') =>
  new Error(`type conversion error from '${from}' to 'google.protobuf.${to}'`);
const TIMESTAMP_OVERFLOW = 'timestamp overflow';

function timestampValue(unixSeconds: bigint, nanos: number): CelValue {
  const iso = new Date(Number(unixSeconds) * 1000).toISOString().replace(/\.000Z$/, `.${String(nanos).padStart(9, '0')}Z`);
  return built(stdTimestamp({ v: iso }));
}

/** timestamp(<string>) as cel-go converts it; throws cel-go's error. */
function timestampOfString(text: string): CelValue {
  const read = readCelTimestamp(text);
  if (read === 'unparsable') throw conversionError('string', 'Timestamp');
  if (read === 'overflow') throw new Error(TIMESTAMP_OVERFLOW);
  return timestampValue(read.unixSeconds, read.nanos);
}

/** timestamp(<int>): seconds since the epoch; throws cel-go's error. */
function timestampOfInt(seconds: bigint): CelValue {
  if (!inTimestampRange(seconds)) throw new Error(TIMESTAMP_OVERFLOW);
  return timestampValue(seconds, 0);
}

/** duration(<string>) as cel-go converts it; throws cel-go's error. */
function durationOfString(text: string): CelValue {
  const nanos = parseGoDuration(text);
  if (nanos === undefined) throw conversionError('string', 'Duration');
  return built(stdDuration({ v: `${nanos}ns` }));
}

/** duration(<int>): cel-go declares it, and its conversion always fails. */
function durationOfInt(): CelValue {
  throw conversionError('int', 'Duration');
}

const { STRING, INT } = CelScalar;

export const TIME_CONVERSIONS: CelFunc[] = [
  celFunc('timestamp', [STRING], TIMESTAMP, timestampOfString),
  celFunc('timestamp', [INT], TIMESTAMP, timestampOfInt),
  celFunc('duration', [STRING], DURATION, durationOfString),
  celFunc('duration', [INT], DURATION, durationOfInt),
];
