/** parseGoTime: metav1.Time and MicroTime decoded as Go's time.Parse reads them, and printed again in UTC; parseGoInstant: the instant itself. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGoInstant, parseGoTime } from '../../src/apimachinery/go-time.js';

const TIME = '"2006-01-02T15:04:05Z07:00"';
const MICRO = '"2006-01-02T15:04:05.000000Z07:00"';

test('a Time is stored in UTC to the second, whatever fraction and zone it came with', () => {
  const cases: [string, string][] = [
    ['2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'],
    ['2025-01-01T00:00:00.987654321Z', '2025-01-01T00:00:00Z'],
    ['2025-01-01T01:30:00+01:00', '2025-01-01T00:30:00Z'],
    ['2024-12-31T23:00:00-02:00', '2025-01-01T01:00:00Z'],
    ['2025-01-01T00:00:00,5Z', '2025-01-01T00:00:00Z'], // Go reads a comma as the fraction's point
    ['2025-01-01T7:00:00Z', '2025-01-01T07:00:00Z'], // the hour may have one digit
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00Z'],
    ['0000-01-01T00:00:00+01:00', '-0001-12-31T23:00:00Z'],
  ];
  for (const [input, stored] of cases) assert.deepEqual(parseGoTime(input, 'Time'), { text: stored, zero: false }, input);
});

test('a MicroTime needs exactly six fractional digits and keeps them, in UTC', () => {
  assert.deepEqual(parseGoTime('2025-01-01T00:00:00.123456Z', 'MicroTime'), { text: '2025-01-01T00:00:00.123456Z', zero: false });
  assert.deepEqual(parseGoTime('2025-01-01T02:00:00.000001+02:00', 'MicroTime'), { text: '2025-01-01T00:00:00.000001Z', zero: false });
  assert.equal(
    parseGoTime('2025-01-01T00:00:00Z', 'MicroTime').error,
    `parsing time "2025-01-01T00:00:00Z" as ${MICRO}: cannot parse "Z" as ".000000"`,
  );
  assert.equal(
    parseGoTime('2025-01-01T00:00:00.1234567Z', 'MicroTime').error,
    `parsing time "2025-01-01T00:00:00.1234567Z" as ${MICRO}: cannot parse "7Z" as "Z07:00"`,
  );
});

test("Go's zero instant, in any zone, is the zero Time (metav1 prints it as null); a nanosecond after it is not", () => {
  const cases: [string, 'Time' | 'MicroTime', string, boolean][] = [
    ['0001-01-01T00:00:00Z', 'Time', '0001-01-01T00:00:00Z', true],
    ['0001-01-01T01:00:00+01:00', 'Time', '0001-01-01T00:00:00Z', true],
    ['0001-01-01T00:00:00.000000Z', 'MicroTime', '0001-01-01T00:00:00.000000Z', true],
    ['0001-01-01T00:00:00.000000001Z', 'Time', '0001-01-01T00:00:00Z', false],
    ['0001-01-01T00:00:00.000001Z', 'MicroTime', '0001-01-01T00:00:00.000001Z', false],
    ['0001-01-01T00:00:01Z', 'Time', '0001-01-01T00:00:01Z', false],
  ];
  for (const [input, layout, text, zero] of cases) assert.deepEqual(parseGoTime(input, layout), { text, zero }, input);
});

test('what Go cannot parse fails with its ParseError wording', () => {
  const cases: [string, string][] = [
    ['garbage', `parsing time "garbage" as ${TIME}: cannot parse "garbage" as "2006"`],
    ['', `parsing time "" as ${TIME}: cannot parse "" as "2006"`],
    ['2025-01-01t00:00:00Z', `parsing time "2025-01-01t00:00:00Z" as ${TIME}: cannot parse "t00:00:00Z" as "T"`],
    ['2025-01-01T00:00:00z', `parsing time "2025-01-01T00:00:00z" as ${TIME}: cannot parse "z" as "Z07:00"`],
    ['2025-1-01T00:00:00Z', `parsing time "2025-1-01T00:00:00Z" as ${TIME}: cannot parse "1-01T00:00:00Z" as "01"`],
    ['2025-01-01T00:00:00+0100', `parsing time "2025-01-01T00:00:00+0100" as ${TIME}: cannot parse "+0100" as "Z07:00"`],
    ['2025-01-01 00:00:00Z', `parsing time "2025-01-01 00:00:00Z" as ${TIME}: cannot parse " 00:00:00Z" as "T"`],
    ['2025-13-01T00:00:00Z', 'parsing time "2025-13-01T00:00:00Z": month out of range'],
    ['2025-02-29T00:00:00Z', 'parsing time "2025-02-29T00:00:00Z": day out of range'],
    ['2025-01-01T24:00:00Z', 'parsing time "2025-01-01T24:00:00Z": hour out of range'],
    ['2025-01-01T00:60:00Z', 'parsing time "2025-01-01T00:60:00Z": minute out of range'],
    ['2025-01-01T00:00:60Z', 'parsing time "2025-01-01T00:00:60Z": second out of range'],
    ['2025-01-01T00:00:00+25:00', 'parsing time "2025-01-01T00:00:00+25:00": time zone offset hour out of range'],
    ['2025-01-01T00:00:00Zjunk', 'parsing time "2025-01-01T00:00:00Zjunk": extra text: "junk"'],
    ['2025-01-01T00:00:00é', `parsing time "2025-01-01T00:00:00\\xc3\\xa9" as ${TIME}: cannot parse "\\xc3\\xa9" as "Z07:00"`],
  ];
  for (const [input, error] of cases) assert.deepEqual(parseGoTime(input, 'Time'), { error }, input);
});

test('the instant Go reads is its Unix seconds and the nanoseconds past them, from the same reader', () => {
  assert.deepEqual(parseGoInstant('2000-01-01T01:00:00,5+01:00', 'Time'), { unixSeconds: 946684800, nanos: 500000000, offset: 3600 });
  assert.deepEqual(parseGoInstant('1969-12-31T23:59:59.999999999Z', 'Time'), { unixSeconds: -1, nanos: 999999999, offset: 0 });
  assert.deepEqual(parseGoInstant('0000-01-01T00:00:00Z', 'Time'), { unixSeconds: -62167219200, nanos: 0, offset: 0 });
  assert.deepEqual(parseGoInstant('9999-12-31T23:59:59-00:01', 'Time'), { unixSeconds: 253402300859, nanos: 0, offset: -60 });
  assert.deepEqual(parseGoInstant('2023-02-29T00:00:00Z', 'Time'), parseGoTime('2023-02-29T00:00:00Z', 'Time'));
});
