/**
 * Decoding metav1.Time and metav1.MicroTime from JSON as the apiserver does: Go's `time.Parse`
 * with the layout `2006-01-02T15:04:05Z07:00` (Time) or `2006-01-02T15:04:05.000000Z07:00`
 * (MicroTime), then encoding the instant again in UTC, in seconds (Time) or microseconds
 * (MicroTime). A text that does not parse fails with Go's own `time.ParseError` wording, which the
 * apiserver puts in its 400 ("… cannot be handled as a Lease: parsing time …"). The same reader
 * gives the instant itself and its zone's offset (parseGoInstant), as CEL's timestamp() conversion
 * reads RFC 3339, and as kube-openapi's strfmt reads a date (`2006-01-02`) or a date-time without
 * a zone (`2006-01-02T15:04:05`, UTC) for a rule (cel/strfmt.ts).
 *
 * Go's parser, walked over the layout's pieces in order: the year takes four characters, the
 * month, day, minute and second two digits each, the hour one or two; a fraction (`.` or `,` and
 * digits) may follow the seconds when the layout has none, and must be exactly six digits where it
 * has `.000000`; the zone is `Z` or `±hh:mm`.
 */

/** Time: RFC 3339; MicroTime: RFC 3339 with six fraction digits; LocalDateTime: RFC 3339 without a zone (UTC); Date: the date alone. */
export type TimeLayout = 'Time' | 'MicroTime' | 'LocalDateTime' | 'Date';

const LAYOUTS: Record<TimeLayout, string> = {
  Time: '2006-01-02T15:04:05Z07:00',
  MicroTime: '2006-01-02T15:04:05.000000Z07:00',
  LocalDateTime: '2006-01-02T15:04:05',
  Date: '2006-01-02',
};

/** One piece of a layout: a literal separator, or a part of the time with its text in the layout. */
interface Piece {
  kind: 'literal' | 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'micros' | 'zone';
  text: string;
}

/** The layouts' pieces, in order: the literal separators and the parts they separate. */
function pieces(layout: TimeLayout): Piece[] {
  const date: Piece[] = [
    { kind: 'year', text: '2006' },
    { kind: 'literal', text: '-' },
    { kind: 'month', text: '01' },
    { kind: 'literal', text: '-' },
    { kind: 'day', text: '02' },
  ];
  if (layout === 'Date') return date;
  const clock: Piece[] = [
    { kind: 'literal', text: 'T' },
    { kind: 'hour', text: '15' },
    { kind: 'literal', text: ':' },
    { kind: 'minute', text: '04' },
    { kind: 'literal', text: ':' },
    { kind: 'second', text: '05' },
  ];
  if (layout === 'LocalDateTime') return [...date, ...clock];
  const micros: Piece[] = layout === 'MicroTime' ? [{ kind: 'micros', text: '.000000' }] : [];
  return [...date, ...clock, ...micros, { kind: 'zone', text: 'Z07:00' }];
}
const PIECES: Record<TimeLayout, Piece[]> = {
  Time: pieces('Time'),
  MicroTime: pieces('MicroTime'),
  LocalDateTime: pieces('LocalDateTime'),
  Date: pieces('Date'),
};

/** `zero`: the instant is Go's zero Time (0001-01-01T00:00:00Z to the nanosecond), which metav1's MarshalJSON writes as null. */
export type GoTimeResult = { text: string; zero: boolean; error?: undefined } | { text?: undefined; error: string };

/** The time package's own quote in its errors (not strconv.Quote, go-quote.ts): `"` and `\` escaped, bytes outside printable ASCII as `\xNN`. */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code >= 0x80) {
      for (const byte of Buffer.from(ch, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    } else out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
  }
  return `${out}"`;
}

const isDigit = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Go's getnum: one or two leading digits (two when `fixed`); undefined when there are none. */
function getnum(s: string, fixed: boolean): { n: number; rest: string } | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : { n: s.charCodeAt(0) - 48, rest: s.slice(1) };
  return { n: (s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), rest: s.slice(2) };
}

/** Go's time.atoi: an optional sign, then digits only. */
function atoi(s: string): number | undefined {
  if (!/^[+-]?\d*$/.test(s)) return undefined;
  // Go's leadingInt reads no digits at all as 0.
  const digits = s.replace(/^[+-]/, '');
  const n = digits === '' ? 0 : Number(digits);
  return s[0] === '-' ? -n : n;
}

/** Go's parseNanoseconds over `value[0:nbytes]` (a `.` or `,` and digits). */
function nanoseconds(value: string, nbytes: number): { ns: number } | { range: string } | undefined {
  if (value[0] !== '.' && value[0] !== ',') return undefined;
  const n = Math.min(nbytes, 10);
  const ns = atoi(value.slice(1, n));
  if (ns === undefined) return undefined;
  if (ns < 0) return { range: 'fractional second' };
  return { ns: ns * 10 ** (10 - n) };
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number, width: number) => (n < 0 ? `-${String(-n).padStart(width, '0')}` : String(n).padStart(width, '0'));

type CivilTime = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The instant of a civil time at a zone offset, to the second, as a Date (years 0 to 9999 fit). */
function utcDate(parts: CivilTime, offsetSeconds: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(parts.year, parts.month - 1, parts.day);
  d.setUTCHours(parts.hour, parts.minute, parts.second - offsetSeconds, 0);
  return d;
}

/** The instant in UTC, formatted as metav1.Time (seconds) or MicroTime (microseconds) marshal it. */
function formatUtc(parts: CivilTime, nanos: number, offsetSeconds: number, micro: boolean): string {
  const d = utcDate(parts, offsetSeconds);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  const clock = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return `${date}T${clock}${micro ? `.${pad(Math.floor(nanos / 1000), 6)}` : ''}Z`;
}

/** The start of Go's zero Time as formatUtc writes it (MicroTime adds `.000000`). */
const ZERO_INSTANT = '0001-01-01T00:00:00';

/** What Go's time.Parse read: the civil date and time, the fraction in nanoseconds and the zone's offset in seconds. */
interface GoTimeParts {
  parts: CivilTime;
  nanos: number;
  offset: number;
}

/** Reads `value` with the layout as Go's time.Parse does, or answers Go's error. */
function readGoTime(value: string, layout: TimeLayout): GoTimeParts | { error: string } {
  const whole = LAYOUTS[layout];
  const fail = (layoutElem: string, valueElem: string) => ({
    error: `parsing time ${timeQuote(value)} as ${timeQuote(whole)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`,
  });
  const failWith = (message: string) => ({ error: `parsing time ${timeQuote(value)}${message}` });
  const p = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  let nanos = 0;
  let offset = 0;
  let rest = value;
  for (const piece of PIECES[layout]) {
    const hold = rest;
    let range = '';
    let ok = true;
    switch (piece.kind) {
      case 'literal':
        if (!rest.startsWith(piece.text)) return fail(piece.text, rest);
        rest = rest.slice(piece.text.length);
        continue;
      case 'year': {
        const year = rest.length >= 4 && isDigit(rest, 0) ? atoi(rest.slice(0, 4)) : undefined;
        if (year === undefined) ok = false;
        else [p.year, rest] = [year, rest.slice(4)];
        break;
      }
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second': {
        const got = getnum(rest, piece.kind !== 'hour');
        if (!got) {
          ok = false;
          break;
        }
        rest = got.rest;
        const limits = { month: [1, 12], day: [0, 99], hour: [0, 23], minute: [0, 59], second: [0, 59] }[piece.kind];
        if (got.n < limits[0] || got.n > limits[1]) range = piece.kind;
        else p[piece.kind] = got.n;
        // A fraction after the seconds that the layout does not name is read all the same.
        if (
          piece.kind === 'second' &&
          !range &&
          layout !== 'MicroTime' &&
          rest.length >= 2 &&
          (rest[0] === '.' || rest[0] === ',') &&
          isDigit(rest, 1)
        ) {
          let n = 2;
          while (isDigit(rest, n)) n++;
          const frac = nanoseconds(rest, n);
          if (frac && 'ns' in frac) nanos = frac.ns;
          rest = rest.slice(n);
        }
        break;
      }
      case 'micros': {
        if (rest.length < 7) {
          ok = false;
          break;
        }
        const frac = nanoseconds(rest, 7);
        if (!frac) ok = false;
        else if ('range' in frac) range = frac.range;
        else nanos = frac.ns;
        rest = rest.slice(7);
        break;
      }
      case 'zone': {
        if (rest[0] === 'Z') {
          rest = rest.slice(1);
          break;
        }
        if (rest.length < 6 || rest[3] !== ':') {
          ok = false;
          break;
        }
        // As Go: the minutes are read only when the hours were, and a range error wins over a bad sign.
        const hh = getnum(rest.slice(1, 3), true);
        const mm = hh && getnum(rest.slice(4, 6), true);
        const hours = hh?.n ?? 0;
        const minutes = mm ? mm.n : 0;
        if (!hh || !mm) ok = false;
        if (hours > 24) range = 'time zone offset hour';
        if (minutes > 60) range = 'time zone offset minute';
        if (rest[0] === '+') offset = (hours * 60 + minutes) * 60;
        else if (rest[0] === '-') offset = -(hours * 60 + minutes) * 60;
        else ok = false;
        rest = rest.slice(6);
        break;
      }
    }
    if (range) return failWith(`: ${range} out of range`);
    if (!ok) return fail(piece.text, hold);
  }
  if (rest !== '') return failWith(`: extra text: ${timeQuote(rest)}`);
  if (p.day < 1 || p.day > daysIn(p.month, p.year)) return failWith(': day out of range');
  return { parts: p, nanos, offset };
}

/**
 * Parses `value` as Go parses a Time or MicroTime from JSON; the text the apiserver would store, or
 * the error it would answer with.
 */
export function parseGoTime(value: string, layout: TimeLayout): GoTimeResult {
  const read = readGoTime(value, layout);
  if ('error' in read) return { error: read.error };
  const text = formatUtc(read.parts, read.nanos, read.offset, layout === 'MicroTime');
  return { text, zero: read.nanos === 0 && text.startsWith(ZERO_INSTANT) };
}

/**
 * The instant Go's time.Parse reads from `value`: whole seconds since the Unix epoch (Go's
 * Time.Unix), the nanoseconds past them and the zone's offset in seconds east of UTC (0 without
 * a zone); or Go's error.
 */
export function parseGoInstant(
  value: string,
  layout: TimeLayout,
): { unixSeconds: number; nanos: number; offset: number } | { error: string } {
  const read = readGoTime(value, layout);
  if ('error' in read) return { error: read.error };
  return { unixSeconds: utcDate(read.parts, read.offset).getTime() / 1000, nanos: read.nanos, offset: read.offset };
}
