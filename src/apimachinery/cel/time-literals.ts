/**
 * Whether a string converts to a CEL duration or timestamp as cel-go converts it: a duration is
 * what Go's time.ParseDuration reads (a sign, then number-unit pairs such as `1h30m`, `1.5s`,
 * `300ms`; units ns, us, µs, μs, ms, s, m, h; `0` alone; at most 2^63-1 ns), a timestamp is
 * Go's time.Parse with RFC 3339 (a 1- or 2-digit hour, fractional seconds after `.` or `,`, `Z` or
 * an offset up to 24:60) that falls between year 1 and year 9999 in UTC, CEL's range.
 */

const NANOS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  '\u00b5s': 1000n,
  '\u03bcs': 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const LIMIT = 1n << 63n;

export function isGoDuration(text: string): boolean {
  let s = text;
  const negative = s.startsWith('-');
  if (negative || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return true;
  if (s === '') return false;
  let total = 0n;
  const pair = /^(\d*)(?:\.(\d*))?([^\d.]*)/;
  while (s !== '') {
    const m = pair.exec(s)!;
    const [all, whole, fraction, unit] = m;
    if (whole === '' && !fraction) return false;
    const scale = NANOS[unit];
    if (scale === undefined) return false;
    let v = BigInt(whole || '0');
    if (v >= LIMIT) return false;
    v *= scale;
    if (v > LIMIT) return false;
    if (fraction) v += BigInt(Math.floor(Number(`0.${fraction}`) * Number(scale)));
    total += v;
    if (total > LIMIT) return false;
    s = s.slice(all.length);
  }
  return negative || total < LIMIT;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:[.,]\d+)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const daysIn = (year: number, month: number) =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/** Seconds since 0001-01-01T00:00:00Z of a civil date and time in UTC. */
function secondsSinceYearOne(year: number, month: number, day: number, seconds: number): number {
  let days = 0;
  const y = year - 1;
  days += y * 365 + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400);
  for (let m = 1; m < month; m++) days += daysIn(year, m);
  days += day - 1;
  return days * 86400 + seconds;
}

const LAST_SECOND = secondsSinceYearOne(9999, 12, 31, 86399);

export function isCelTimestamp(text: string): boolean {
  const m = RFC3339.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  let offset = 0;
  if (m[7]) {
    const [hours, minutes] = [Number(m[8]), Number(m[9])];
    if (hours > 24 || minutes > 60) return false;
    offset = (m[7] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  }
  const utc = secondsSinceYearOne(year, month, day, hour * 3600 + minute * 60 + second) - offset;
  return utc >= 0 && utc <= LAST_SECOND;
}
