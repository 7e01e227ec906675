/**
 * CEL timestamps that keep the zone offset they were read with, as cel-go's do (a Go time.Time
 * keeps its location; Kubernetes 1.33's cel-go v0.23): `timestamp('2024-01-02T03:04:05+02:00')`
 * and a date-time field holding that text are 01:04:05 UTC but written back by `string()` as
 * `2024-01-02T03:04:05+02:00` (Go's RFC3339Nano of the time in its location: the fraction without
 * trailing zeros, `Z` for UTC), and their getters without a time zone argument (getHours(),
 * getDate(), getFullYear()…) read the clock at that offset, as cel-go's Timestamp.Receive does.
 * Adding or subtracting a duration keeps the offset (cel-go's addTimeDurationChecked), and leaving
 * CEL's range (years 1 to 9999) fails with "timestamp overflow". @bufbuild/cel's timestamps are
 * instants only, so the offset of each is held beside it here; a timestamp without one is UTC
 * (timestamp(int), and any @bufbuild/cel makes). Comparisons and differences read the instant.
 */
import { CelScalar, celEnv, celFunc, celMethod, celType, isCelError, parse, plan, type CelFunc, type CelValue } from '@bufbuild/cel';

const std = celEnv();
const stdTimestamp = plan(std, parse('timestamp(v)'));
const stdDuration = plan(std, parse('duration(v)'));
const stdSum = plan(std, parse('a + b'));
const stdDifference = plan(std, parse('a - b'));

function built(result: unknown): CelValue {
  if (isCelError(result)) throw new Error(result.message === 'timestamp out of range' ? 'timestamp overflow' : result.message);
  return result as CelValue;
}

export const TIMESTAMP = celType(built(stdTimestamp({ v: '1970-01-01T00:00:00Z' })));
export const DURATION = celType(built(stdDuration({ v: '0s' })));

/** The offsets (seconds east of UTC) of the timestamps that have one other than 0. */
const offsets = new WeakMap<object, number>();

/** `ts` held at `offsetSeconds` east of UTC. */
function withOffset(ts: CelValue, offsetSeconds: number): CelValue {
  if (offsetSeconds !== 0 && typeof ts === 'object' && ts !== null) offsets.set(ts, offsetSeconds);
  return ts;
}

const offsetOf = (ts: CelValue): number => (typeof ts === 'object' && ts !== null ? (offsets.get(ts) ?? 0) : 0);

interface TimestampMessage {
  message: { seconds: bigint; nanos: number };
}

/** The timestamp `unixSeconds` and `nanos` past them, at `offsetSeconds` east of UTC (the caller keeps it within CEL's range). */
export function timestampAt(unixSeconds: bigint, nanos: number, offsetSeconds = 0): CelValue {
  const iso = new Date(Number(unixSeconds) * 1000).toISOString().replace(/\.000Z$/, `.${String(nanos).padStart(9, '0')}Z`);
  return withOffset(built(stdTimestamp({ v: iso })), offsetSeconds);
}

/** The duration of `nanos` nanoseconds (within Go's time.Duration). */
export const durationOf = (nanos: bigint): CelValue => built(stdDuration({ v: `${nanos}ns` }));

/** The civil time of `ts` at its offset: a Date whose UTC fields are that clock, and the nanoseconds. */
function clock(ts: CelValue): { at: Date; nanos: number; offset: number } {
  const { seconds, nanos } = (ts as unknown as TimestampMessage).message;
  const offset = offsetOf(ts);
  return { at: new Date((Number(seconds) + offset) * 1000), nanos, offset };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Go's t.Format(time.RFC3339Nano) of the timestamp in its location. */
function rfc3339Nano(ts: CelValue): string {
  const { at, nanos, offset } = clock(ts);
  const date = `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1, 2)}-${pad(at.getUTCDate(), 2)}`;
  const time = `${pad(at.getUTCHours(), 2)}:${pad(at.getUTCMinutes(), 2)}:${pad(at.getUTCSeconds(), 2)}`;
  const fraction = nanos ? `.${pad(nanos, 9).replace(/0+$/, '')}` : '';
  const abs = Math.abs(offset);
  const zone = offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 3600), 2)}:${pad(Math.floor(abs / 60) % 60, 2)}`;
  return `${date}T${time}${fraction}${zone}`;
}

/** Midnight UTC of a civil date (years below 100 too, which Date.UTC would read as 19xx). */
function midnight(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  return d.getTime();
}

/** The day of the year, from 0 (Go's YearDay() - 1). */
const dayOfYear = (at: Date): number =>
  Math.round((midnight(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()) - midnight(at.getUTCFullYear(), 0, 1)) / 86_400_000);

const GETTERS: [string, (at: Date, nanos: number) => number][] = [
  ['getFullYear', (at) => at.getUTCFullYear()],
  ['getMonth', (at) => at.getUTCMonth()],
  ['getDayOfYear', (at) => dayOfYear(at)],
  ['getDate', (at) => at.getUTCDate()],
  ['getDayOfMonth', (at) => at.getUTCDate() - 1],
  ['getDayOfWeek', (at) => at.getUTCDay()],
  ['getHours', (at) => at.getUTCHours()],
  ['getMinutes', (at) => at.getUTCMinutes()],
  ['getSeconds', (at) => at.getUTCSeconds()],
  ['getMilliseconds', (_, nanos) => Math.floor(nanos / 1_000_000)],
];

/** A timestamp plus or minus a duration, at the timestamp's offset. */
function shifted(run: typeof stdSum, ts: CelValue, a: CelValue, b: CelValue): CelValue {
  return withOffset(built(run({ a, b })), offsetOf(ts));
}

export const TIMESTAMP_OFFSET_FUNCS: CelFunc[] = [
  celFunc('string', [TIMESTAMP], CelScalar.STRING, (ts) => rfc3339Nano(ts)),
  celFunc('_+_', [TIMESTAMP, DURATION], TIMESTAMP, (ts, d) => shifted(stdSum, ts, ts, d)),
  celFunc('_+_', [DURATION, TIMESTAMP], TIMESTAMP, (d, ts) => shifted(stdSum, ts, d, ts)),
  celFunc('_-_', [TIMESTAMP, DURATION], TIMESTAMP, (ts, d) => shifted(stdDifference, ts, ts, d)),
  ...GETTERS.map(([name, get]) =>
    celMethod(name, TIMESTAMP, [], CelScalar.INT, function (this: CelValue) {
      const { at, nanos } = clock(this);
      return BigInt(get(at, nanos));
    }),
  ),
];
