/**
 * CEL's timestamp() and duration() conversions as cel-go (v0.23, Kubernetes 1.33) runs them, in
 * place of @bufbuild/cel's own (same overloads, so the environment's come last and win): a string
 * becomes a duration as Go's time.ParseDuration reads it and a timestamp as Go's time.Parse reads
 * RFC 3339 (time-literals.ts); an int becomes a timestamp as seconds since the epoch (not
 * milliseconds). Both timestamps must fall within years 1 to 9999, else "timestamp overflow".
 * duration(int) is declared but never converts: cel-go's Int has no conversion to Duration. A
 * string that does not read fails with cel-go's "type conversion error from 'string' to
 * 'google.protobuf.Duration'" (or Timestamp), which a rule reports "… evaluating rule: …". A
 * duration converts to an int as its nanoseconds and to a string as its seconds in Go's shortest
 * fixed-point text (`1.5s`, `3600s`).
 */
import { CelScalar, celFunc, type CelFunc, type CelValue } from '@bufbuild/cel';
import { parseGoDuration, inTimestampRange, readCelTimestamp } from './time-literals.js';
import { DURATION, TIMESTAMP, durationOf, timestampAt } from './timestamp-offsets.js';

const conversionError = (from: 'string' | 'int', to: 'Timestamp' | 'Duration') =>
  new Error(`type conversion error from '${from}' to 'google.protobuf.${to}'`);
const TIMESTAMP_OVERFLOW = 'timestamp overflow';

/** timestamp(<string>) as cel-go converts it, keeping the text's offset (timestamp-offsets.ts); throws cel-go's error. */
function timestampOfString(text: string): CelValue {
  const read = readCelTimestamp(text);
  if (read === 'unparsable') throw conversionError('string', 'Timestamp');
  if (read === 'overflow') throw new Error(TIMESTAMP_OVERFLOW);
  return timestampAt(read.unixSeconds, read.nanos, read.offset);
}

/** timestamp(<int>): seconds since the epoch; throws cel-go's error. */
function timestampOfInt(seconds: bigint): CelValue {
  if (!inTimestampRange(seconds)) throw new Error(TIMESTAMP_OVERFLOW);
  return timestampAt(seconds, 0);
}

/** duration(<string>) as cel-go converts it; throws cel-go's error. */
function durationOfString(text: string): CelValue {
  const nanos = parseGoDuration(text);
  if (nanos === undefined) throw conversionError('string', 'Duration');
  return durationOf(nanos);
}

/** duration(<int>): cel-go declares it, and its conversion always fails. */
function durationOfInt(): CelValue {
  throw conversionError('int', 'Duration');
}

interface DurationMessage {
  message: { seconds: bigint; nanos: number };
}

const nanosOf = (d: CelValue): bigint => {
  const { seconds, nanos } = (d as unknown as DurationMessage).message;
  return seconds * 1_000_000_000n + BigInt(nanos);
};

/** Go's strconv.FormatFloat(x, 'f', -1, 64): the shortest digits that read back as x, never an exponent. */
function goFixed(x: number): string {
  const text = String(x);
  if (!text.includes('e')) return text;
  const [mantissa, exp] = x.toExponential().split('e');
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/[-.]/g, '');
  const e = Number(exp);
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  return e >= digits.length - 1
    ? `${sign}${digits}${'0'.repeat(e - digits.length + 1)}`
    : `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
}

/** string(<duration>): its seconds as Go's FormatFloat of d.Seconds() writes them, then `s` (`1.5s`, `-0.000000001s`). */
function durationString(d: CelValue): string {
  const nanos = nanosOf(d);
  const seconds = Number(nanos / 1_000_000_000n) + Number(nanos % 1_000_000_000n) / 1e9;
  return `${goFixed(seconds)}s`;
}

const { STRING, INT } = CelScalar;

export const TIME_CONVERSIONS: CelFunc[] = [
  // int(<duration>) is its nanoseconds (cel-go's Duration.ConvertToType), not its seconds
  celFunc('int', [DURATION], INT, (d) => nanosOf(d)),
  celFunc('string', [DURATION], STRING, (d) => durationString(d)),
  celFunc('timestamp', [STRING], TIMESTAMP, timestampOfString),
  celFunc('timestamp', [INT], TIMESTAMP, timestampOfInt),
  celFunc('duration', [STRING], DURATION, durationOfString),
  celFunc('duration', [INT], DURATION, durationOfInt),
];
