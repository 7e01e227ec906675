/**
 * kube-openapi's strfmt readers of formatted strings (k8s.io/kube-openapi/pkg/validation/strfmt),
 * as kube-apiserver reads a `format: duration`, `date` or `date-time` field into a CEL duration or
 * timestamp (k8s.io/apiserver/pkg/cel/common UnstructuredToVal), with Go's error texts:
 *
 * - duration (strfmt.ParseDuration): what Go's time.ParseDuration reads, else the sum of every
 *   `<digits><spaces><letters>` in the text whose letters name a unit (ns/nano…, us/µs/micro…,
 *   ms/milli…, s/sec…, m/min…, h/hr/hour…, d/day…, w/wk/week…, any case), so `3 days` is 72h
 *   (int64 nanoseconds, wrapping as Go's do); none at all is "unable to parse <text> as duration".
 * - date: Go's time.Parse with `2006-01-02`, in UTC.
 * - date-time (strfmt.ParseDateTime): the empty text is the Unix epoch; else the first of RFC 3339
 *   with six or three fraction digits, RFC 3339 (any fraction), RFC 3339 with nanoseconds and
 *   `2006-01-02T15:04:05` (no zone: UTC) that Go's time.Parse reads, keeping the text's offset;
 *   when none does, the last one's error.
 */
import { parseGoInstant } from '../go-time.js';
import { parseGoDuration } from './time-literals.js';

export type StrfmtResult<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

/** strfmt's unit names: each group's first entry names the unit, its last also matches as a prefix (`hours`). */
const UNITS: [string[], bigint][] = [
  [['ns', 'nano'], 1n],
  [['us', '\u00b5s', 'micro'], 1_000n],
  [['ms', 'milli'], 1_000_000n],
  [['s', 'sec'], 1_000_000_000n],
  [['m', 'min'], 60_000_000_000n],
  [['h', 'hr', 'hour'], 3_600_000_000_000n],
  [['d', 'day'], 86_400_000_000_000n],
  [['w', 'wk', 'week'], 604_800_000_000_000n],
];

const PAIRS = /(\d+)[\t\n\f\r ]*([A-Za-z\u00b5]+)/g;
const INT64_MAX = (1n << 63n) - 1n;
const wrap = (n: bigint) => BigInt.asIntN(64, n);

/** strfmt.ParseDuration: the nanoseconds of `text`, or Go's error. */
export function parseStrfmtDuration(text: string): StrfmtResult<bigint> {
  const exact = parseGoDuration(text);
  if (exact !== undefined) return { value: exact };
  let total = 0n;
  let ok = false;
  for (const [, digits, letters] of text.matchAll(PAIRS)) {
    const factor = BigInt(digits);
    if (factor > INT64_MAX) return { error: `strconv.Atoi: parsing "${digits}": value out of range` };
    const unit = letters.toLowerCase();
    for (const [variants, nanos] of UNITS) {
      variants.forEach((variant, i) => {
        if ((i === variants.length - 1 && unit.startsWith(variant)) || unit === variant) {
          ok = true;
          total = wrap(total + wrap(factor * nanos));
        }
      });
    }
  }
  return ok ? { value: total } : { error: `unable to parse ${text} as duration` };
}

export interface Instant {
  unixSeconds: bigint;
  nanos: number;
  /** The zone's offset in seconds east of UTC. */
  offset: number;
}

function instant(text: string, layout: 'Time' | 'LocalDateTime' | 'Date'): StrfmtResult<Instant> {
  const read = parseGoInstant(text, layout);
  if ('error' in read) return { error: read.error };
  return { value: { unixSeconds: BigInt(read.unixSeconds), nanos: read.nanos, offset: read.offset } };
}

/** time.Parse(strfmt.RFC3339FullDate, text). */
export const parseStrfmtDate = (text: string): StrfmtResult<Instant> => instant(text, 'Date');

/** strfmt.ParseDateTime (its RFC 3339 layouts read what RFC 3339 reads; the zoneless one comes last). */
export function parseStrfmtDateTime(text: string): StrfmtResult<Instant> {
  if (text === '') return { value: { unixSeconds: 0n, nanos: 0, offset: 0 } };
  const rfc3339 = instant(text, 'Time');
  return rfc3339.error === undefined ? rfc3339 : instant(text, 'LocalDateTime');
}

/** strfmt's DateTimePattern, for the part after the date (its `.` before the fraction is any character). */
const TIME_OF_DAY = /^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/;

/** strfmt.IsDate: what time.Parse reads with `2006-01-02`. */
export const isStrfmtDate = (text: string): boolean => parseStrfmtDate(text).error === undefined;

/**
 * strfmt.IsDateTime, the `format: date-time` check: the text lower-cased and split at each `t`,
 * the first part a date (IsDate) and the second a time of day with a zone `z` or `±hh:mm`, its
 * hours, minutes and seconds at most 23, 59 and 59 (compared as text); any further part is not
 * looked at. A space in place of the `T` is no date-time.
 */
export function isStrfmtDateTime(text: string): boolean {
  if (text.length < 4) return false;
  const parts = text.toLowerCase().split('t');
  if (parts.length < 2 || !isStrfmtDate(parts[0])) return false;
  const m = TIME_OF_DAY.exec(parts[1]);
  return m !== null && m[1] <= '23' && m[2] <= '59' && m[3] <= '59';
}
