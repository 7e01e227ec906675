/**
 * Timestamps and durations in CRD rules as cel-go v0.23 (Kubernetes 1.33) holds them: a timestamp
 * keeps the offset it was read with (string() writes it back in RFC 3339 with that offset, getters
 * without a time zone read its clock, a duration added keeps it); string(duration) and
 * int(duration); and `format: date-time | date | duration | byte` fields read as kube-openapi's
 * strfmt reads them, a value it refuses failing only the rules that read it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleValidator } from '../../src/apimachinery/cel/validator.js';
import { parseStrfmtDate, parseStrfmtDateTime, parseStrfmtDuration } from '../../src/apimachinery/cel/strfmt.js';
import { errorString } from '../../src/apimachinery/field-errors.js';
import type { JSONSchemaProps } from '../../src/apimachinery/structural-schema/types.js';

const SPEC: JSONSchemaProps = {
  type: 'object',
  properties: {
    start: { type: 'string', format: 'date-time' },
    day: { type: 'string', format: 'date' },
    timeout: { type: 'string', format: 'duration' },
    data: { type: 'string', format: 'byte' },
    name: { type: 'string' },
  },
};

/** The field errors (as strings) of `rules` on the spec `value`, or ['ok']. */
function failures(value: Record<string, unknown>, ...rules: string[]): string[] {
  const validations = rules.map((rule) => ({ rule }));
  const validator = ruleValidator({ type: 'object', properties: { spec: { ...SPEC, 'x-kubernetes-validations': validations } } });
  const { errors } = validator!.validate({ spec: value });
  return errors.length ? errors.map(errorString) : ['ok'];
}

const evaluating = (error: string, rule: string) => `spec: Invalid value: "object": ${error} evaluating rule: ${rule}`;

describe('CEL timestamps keep their offset', () => {
  it('string() writes RFC 3339 with the offset and the fraction’s significant digits', () => {
    const rules = [
      "string(timestamp('2024-01-02T03:04:05.500+02:00')) == '2024-01-02T03:04:05.5+02:00'",
      "string(timestamp('2024-01-02T03:04:05.000000001-05:30')) == '2024-01-02T03:04:05.000000001-05:30'",
      "string(timestamp('2024-01-02T03:04:05+00:00')) == '2024-01-02T03:04:05Z'",
      "string(timestamp(86400)) == '1970-01-02T00:00:00Z'",
      "timestamp('2024-01-02T03:04:05+02:00') == timestamp('2024-01-02T01:04:05Z')",
    ];
    assert.deepEqual(failures({}, ...rules), ['ok']);
  });

  it('getters without a time zone read the clock at the offset; with one, at that zone', () => {
    const rules = [
      "timestamp('2024-12-31T23:30:00.250-02:00').getHours() == 23",
      "timestamp('2024-12-31T23:30:00.250-02:00').getHours('UTC') == 1",
      "timestamp('2024-12-31T23:30:00.250-02:00').getDate() == 31",
      "timestamp('2024-12-31T23:30:00.250-02:00').getDayOfMonth() == 30",
      "timestamp('2024-12-31T23:30:00.250-02:00').getDayOfYear() == 365",
      "timestamp('2024-12-31T23:30:00.250-02:00').getDayOfWeek() == 2",
      "timestamp('2024-12-31T23:30:00.250-02:00').getMonth() == 11",
      "timestamp('2024-12-31T23:30:00.250-02:00').getFullYear() == 2024",
      "timestamp('2024-12-31T23:30:00.250-02:00').getMinutes() == 30",
      "timestamp('2024-12-31T23:30:00.250-02:00').getMilliseconds() == 250",
      "timestamp('0001-03-01T00:00:00Z').getDayOfYear() == 59",
    ];
    assert.deepEqual(failures({}, ...rules), ['ok']);
  });

  it('adding or subtracting a duration keeps the offset', () => {
    const rules = [
      "string(timestamp('2024-01-02T03:04:05+02:00') + duration('1h')) == '2024-01-02T04:04:05+02:00'",
      "string(duration('90m') + timestamp('2024-01-02T03:04:05-05:30')) == '2024-01-02T04:34:05-05:30'",
      "string(timestamp('2024-01-02T03:04:05+02:00') - duration('4h')) == '2024-01-01T23:04:05+02:00'",
      "[timestamp('2024-01-02T03:04:05+02:00')].map(t, string(t))[0] == '2024-01-02T03:04:05+02:00'",
    ];
    assert.deepEqual(failures({}, ...rules), ['ok']);
  });

  it('a duration is its nanoseconds as an int and its seconds, in Go’s shortest fixed text, as a string', () => {
    const rules = [
      "int(duration('1s')) == 1000000000",
      "string(duration('-1.5s')) == '-1.5s'",
      "string(duration('1ns')) == '0.000000001s'",
      "string(duration('100h')) == '360000s'",
      "string(duration('0s')) == '0s'",
    ];
    assert.deepEqual(failures({}, ...rules), ['ok']);
  });
});

describe('formatted fields read as kube-openapi’s strfmt reads them', () => {
  it('date-time: RFC 3339 with its offset, or without a zone in UTC', () => {
    const rule = 'string(self.start) == self.name && self.start.getHours() == 3';
    assert.deepEqual(failures({ start: '2024-01-02T03:04:05.25+05:30', name: '2024-01-02T03:04:05.25+05:30' }, rule), ['ok']);
    assert.deepEqual(failures({ start: '2024-01-02T03:04:05', name: '2024-01-02T03:04:05Z' }, rule), ['ok']);
    assert.deepEqual(failures({ start: '2024-01-02T03:04:05.123', name: '2024-01-02T03:04:05.123Z' }, rule), ['ok']);
  });

  it('date: midnight UTC', () => {
    assert.deepEqual(failures({ day: '2024-01-02' }, "string(self.day) == '2024-01-02T00:00:00Z'"), ['ok']);
  });

  it('duration: Go’s durations, and strfmt’s number-unit pairs besides', () => {
    const rules = ['!has(self.timeout) || self.timeout == duration(self.name)'];
    assert.deepEqual(failures({ timeout: '1h30m', name: '90m' }, ...rules), ['ok']);
    assert.deepEqual(failures({ timeout: '3 days', name: '72h' }, ...rules), ['ok']);
    assert.deepEqual(failures({ timeout: '2 hours 5min', name: '2h5m' }, ...rules), ['ok']);
    assert.deepEqual(failures({ timeout: '1w', name: '168h' }, ...rules), ['ok']);
  });

  it('a value the reader refuses fails the rules that read it, with upstream’s text, and no other', () => {
    const reads = 'self.start > timestamp(0)';
    const has = 'has(self.start)';
    const other = "self.name == 'a'";
    assert.deepEqual(failures({ start: '2024-01-02t03:04:05z', name: 'a' }, reads, has, other), [
      evaluating(
        'Invalid date-time formatted string 2024-01-02t03:04:05z: parsing time "2024-01-02t03:04:05z" as "2006-01-02T15:04:05": cannot parse "t03:04:05z" as "T"',
        reads,
      ),
      evaluating(
        'Invalid date-time formatted string 2024-01-02t03:04:05z: parsing time "2024-01-02t03:04:05z" as "2006-01-02T15:04:05": cannot parse "t03:04:05z" as "T"',
        has,
      ),
    ]);
    assert.deepEqual(failures({ day: '2024-02-30' }, 'self.day > timestamp(0)'), [
      evaluating('Invalid date formatted string 2024-02-30: parsing time "2024-02-30": day out of range', 'self.day > timestamp(0)'),
    ]);
    assert.deepEqual(failures({ timeout: '1x' }, "self.timeout > duration('0s')"), [
      evaluating('Invalid duration 1x: unable to parse 1x as duration', "self.timeout > duration('0s')"),
    ]);
    assert.deepEqual(failures({ data: 'aGk' }, "self.data == b'hi'"), [
      evaluating('Invalid byte formatted string aGk: illegal base64 data at input byte 0', "self.data == b'hi'"),
    ]);
    assert.deepEqual(failures({ data: 'aGk=' }, "self.data == b'hi'"), ['ok']);
  });
});

describe('strfmt readers', () => {
  it('ParseDuration: Go’s time.ParseDuration first, then every number-unit pair', () => {
    assert.deepEqual(parseStrfmtDuration('1.5h'), { value: 5_400_000_000_000n });
    assert.deepEqual(parseStrfmtDuration('1.5 hours'), { value: 5n * 3_600_000_000_000n });
    assert.deepEqual(parseStrfmtDuration('10 milliseconds'), { value: 10_000_000n });
    assert.deepEqual(parseStrfmtDuration('2 Mins 3 secs'), { value: 123_000_000_000n });
    assert.deepEqual(parseStrfmtDuration('5 \u00b5s'), { value: 5_000n });
    assert.deepEqual(parseStrfmtDuration('5'), { error: 'unable to parse 5 as duration' });
    assert.deepEqual(parseStrfmtDuration('10xs'), { error: 'unable to parse 10xs as duration' });
    assert.deepEqual(parseStrfmtDuration('99999999999999999999d'), {
      error: 'strconv.Atoi: parsing "99999999999999999999": value out of range',
    });
    // int64 nanoseconds wrap as Go's do
    assert.deepEqual(parseStrfmtDuration('200000 weeks'), { value: BigInt.asIntN(64, 200_000n * 604_800_000_000_000n) });
  });

  it('ParseDateTime: the empty text is the epoch; RFC 3339 keeps its offset; no zone is UTC; else the zoneless layout’s error', () => {
    assert.deepEqual(parseStrfmtDateTime(''), { value: { unixSeconds: 0n, nanos: 0, offset: 0 } });
    assert.deepEqual(parseStrfmtDateTime('1970-01-01T02:00:00.5+02:00'), { value: { unixSeconds: 0n, nanos: 500_000_000, offset: 7200 } });
    assert.deepEqual(parseStrfmtDateTime('1970-01-01T00:00:01'), { value: { unixSeconds: 1n, nanos: 0, offset: 0 } });
    assert.deepEqual(parseStrfmtDateTime('1970-01-01T00:00:01+0200'), {
      error: 'parsing time "1970-01-01T00:00:01+0200": extra text: "+0200"',
    });
    assert.deepEqual(parseStrfmtDate('1970-01-02'), { value: { unixSeconds: 86400n, nanos: 0, offset: 0 } });
    assert.deepEqual(parseStrfmtDate('1970-1-02'), { error: 'parsing time "1970-1-02" as "2006-01-02": cannot parse "1-02" as "01"' });
  });
});
