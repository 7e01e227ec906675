/**
 * Reading a string as a CEL duration or timestamp the way cel-go converts one (common/types
 * String.ConvertToType): a duration is what Go's time.ParseDuration reads (a sign, then
 * number-unit pairs such as `1h30m`, `1.5s`, `300ms`; units ns, us, µs, μs, ms, s, m, h; `0` alone;
 * within ±2^63 ns, -2^63 itself allowed), a timestamp is Go's time.Parse with RFC 3339 (go-time.ts:
 * a 1- or 2-digit hour, fractional seconds after `.` or `,`, `Z` or an offset up to 24:60) whose
 * Unix seconds fall between year 1 and year 9999 in UTC, CEL's range.
 */
import { parseGoInstant } from '../go-time.js';

const NANOS = new Map<string, bigint>([
  ['ns', 1n],
  ['us', 1000n],
  ['\u00b5s', 1000n],
  ['\u03bcs', 1000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);
/** 2^63: Go reads each number and the sum as uint64 up to this, and a duration's magnitude may not pass it. */
const LIMIT = 1n << 63n;

/** Go's leadingFraction: the digits as an integer and its scale, accumulation stopping (not failing) once it would pass 2^63. */
function leadingFraction(digits: string): { f: bigint; scale: number } {
  let f = 0n;
  let scale = 1;
  for (const c of digits) {
    if (f > (LIMIT - 1n) / 10n) break;
    const next = f * 10n + BigInt(c);
    if (next > LIMIT) break;
    f = next;
    scale *= 10;
  }
  return { f, scale };
}

/** Go's time.ParseDuration: the nanoseconds `text` names, or undefined where Go refuses it. */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  const negative = s.startsWith('-');
  if (negative || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    if (!/^[.\d]/.test(s)) return undefined;
    const whole = /^\d*/.exec(s)![0];
    s = s.slice(whole.length);
    let v = BigInt(whole || '0');
    if (v > LIMIT) return undefined;
    let fraction = { f: 0n, scale: 1 };
    let post = false;
    if (s.startsWith('.')) {
      const digits = /^\d*/.exec(s.slice(1))![0];
      s = s.slice(1 + digits.length);
      post = digits !== '';
      fraction = leadingFraction(digits);
    }
    if (whole === '' && !post) return undefined;
    const unitText = /^[^.\d]*/.exec(s)![0];
    s = s.slice(unitText.length);
    const unit = NANOS.get(unitText);
    if (unit === undefined || v > LIMIT / unit) return undefined;
    v *= unit;
    // As Go, in float64: exact to the nanosecond for fractions of an hour.
    if (fraction.f > 0n) v += BigInt(Math.trunc(Number(fraction.f) * (Number(unit) / fraction.scale)));
    if (v > LIMIT) return undefined;
    total += v;
    if (total > LIMIT) return undefined;
  }
  if (negative) return -total;
  return total < LIMIT ? total : undefined;
}

export const isGoDuration = (text: string): boolean => parseGoDuration(text) !== undefined;

/** CEL's timestamp range in Unix seconds: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z (cel-go's minUnixTime, maxUnixTime). */
const MIN_UNIX_SECONDS = -62135596800n;
const MAX_UNIX_SECONDS = 253402300799n;

export const inTimestampRange = (unixSeconds: bigint): boolean => unixSeconds >= MIN_UNIX_SECONDS && unixSeconds <= MAX_UNIX_SECONDS;

/** A string as cel-go's timestamp(): the instant and its zone's offset, `unparsable` where Go's time.Parse refuses it, `overflow` outside CEL's range. */
export function readCelTimestamp(text: string): { unixSeconds: bigint; nanos: number; offset: number } | 'unparsable' | 'overflow' {
  const read = parseGoInstant(text, 'Time');
  if ('error' in read) return 'unparsable';
  const unixSeconds = BigInt(read.unixSeconds);
  return inTimestampRange(unixSeconds) ? { unixSeconds, nanos: read.nanos, offset: read.offset } : 'overflow';
}

export const isCelTimestamp = (text: string): boolean => typeof readCelTimestamp(text) === 'object';
