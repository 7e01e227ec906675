/**
 * CRD validation rules without HTTP: what compiles against a schema's CEL type and what does not
 * (with cel-go's wording and positions), the values `self` sees (ints, doubles, escaped names,
 * int-or-string, the visible part of metadata), the Kubernetes library functions, fieldPath
 * normalization, and the validator's errors, transition rules and ratcheting.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRule } from '../../src/apimachinery/cel/compile.js';
import { celTypeOf } from '../../src/apimachinery/cel/types.js';
import { toCel } from '../../src/apimachinery/cel/values.js';
import { normalizedFieldPath } from '../../src/apimachinery/cel/field-path.js';
import { ruleValidator } from '../../src/apimachinery/cel/validator.js';
import { validateSchemaRules } from '../../src/apimachinery/cel/schema-rules.js';
import { errorString } from '../../src/apimachinery/field-errors.js';
import type { JSONSchemaProps } from '../../src/apimachinery/structural-schema/types.js';

const SPEC: JSONSchemaProps = {
  type: 'object',
  properties: {
    replicas: { type: 'integer' },
    ratio: { type: 'number' },
    name: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    port: { 'x-kubernetes-int-or-string': true },
    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    untyped: { 'x-kubernetes-preserve-unknown-fields': true },
    namespace: { type: 'string' },
    'max-size': { type: 'integer' },
    start: { type: 'string', format: 'date-time' },
    day: { type: 'string', format: 'date' },
    timeout: { type: 'string', format: 'duration' },
    data: { type: 'string', format: 'byte' },
    template: {
      type: 'object',
      'x-kubernetes-embedded-resource': true,
      properties: { spec: { type: 'object', properties: { image: { type: 'string' } } } },
    },
  },
};
const ROOT: JSONSchemaProps = { type: 'object', properties: { spec: SPEC } };

/** Evaluates `rule` with `self` the given spec value (typed by SPEC), or returns its compile error. */
function evaluate(rule: string, spec: Record<string, unknown>): unknown {
  const type = celTypeOf(SPEC, false);
  const compiled = compileRule({ rule }, type);
  if (compiled.error) return compiled.error;
  const result = compiled.program!({ self: toCel(spec, type) });
  return result instanceof Error ? `error: ${result.message}` : result;
}

describe('CEL rule compilation', () => {
  const rootType = celTypeOf(ROOT, true);
  const cases: [rule: string, error: string | undefined][] = [
    ['self.spec.replicas > 1', undefined],
    ['self.metadata.name.startsWith("a") && self.metadata.generateName == ""', undefined],
    ['self.apiVersion != "" && self.kind != ""', undefined],
    ['self.spec.__namespace__ == "x" && self.spec.max__dash__size > 0', undefined],
    ['self.spec.port == 80 || self.spec.port == "http"', undefined],
    // an object with x-kubernetes-preserve-unknown-fields exposes only what it declares (SchemaDeclType): here nothing
    [
      'self.spec.extra.anything.goes',
      "compilation failed: ERROR: <input>:1:16: undefined field 'anything'\n | self.spec.extra.anything.goes\n | ...............^",
    ],
    [
      'has(self.spec.extra.anything)',
      "compilation failed: ERROR: <input>:1:4: undefined field 'anything'\n | has(self.spec.extra.anything)\n | ...^",
    ],
    // a property without a type (preserve-unknown-fields alone) is no field at all
    [
      'self.spec.untyped == 1',
      "compilation failed: ERROR: <input>:1:10: undefined field 'untyped'\n | self.spec.untyped == 1\n | .........^",
    ],
    ['self.spec.extra == oldSelf.spec.extra', undefined],
    ['self.spec.template.metadata.name == "t" && self.spec.template.spec.image != ""', undefined],
    ['self.spec.labels.all(k, self.spec.labels[k].size() < 64)', undefined],
    ['self.spec.tags.exists(t, t == "a")', undefined],
    ['has(self.spec.name) ? self.spec.name.size() > 0 : true', undefined],
    ['self.spec.replicas == oldSelf.spec.replicas', undefined],
    [
      'self.metadata.labels.size() > 0',
      "compilation failed: ERROR: <input>:1:14: undefined field 'labels'\n | self.metadata.labels.size() > 0\n | .............^",
    ],
    [
      'self.spec.replica > 1',
      "compilation failed: ERROR: <input>:1:10: undefined field 'replica'\n | self.spec.replica > 1\n | .........^",
    ],
    [
      'self.spec.replicas == "3"',
      "compilation failed: ERROR: <input>:1:20: found no matching overload for '_==_' applied to '(int, string)'\n | self.spec.replicas == \"3\"\n | ...................^",
    ],
    [
      'self.spec.name.size() > 0 &&\n  other > 1',
      "compilation failed: ERROR: <input>:2:3: undeclared reference to 'other' (in container '')\n |   other > 1\n | ..^",
    ],
    [
      'noSuchFn(self)',
      // cel-go places a call at its opening parenthesis
      "compilation failed: ERROR: <input>:1:9: undeclared reference to 'noSuchFn' (in container '')\n | noSuchFn(self)\n | ........^",
    ],
    [
      'self.spec.name.foo',
      "compilation failed: ERROR: <input>:1:15: type 'string' does not support field selection\n | self.spec.name.foo\n | ..............^",
    ],
    ['self.spec.replicas + 1', 'cel expression must evaluate to a bool'],
    [
      'self.spec.start < "2024"',
      "compilation failed: ERROR: <input>:1:17: found no matching overload for '_<_' applied to '(google.protobuf.Timestamp, string)'\n | self.spec.start < \"2024\"\n | ................^",
    ],
    ['self.spec.name', 'cel expression must evaluate to a bool'],
  ];
  for (const [rule, error] of cases) {
    it(`${JSON.stringify(rule)} ${error ? 'fails' : 'compiles'}`, () => {
      const compiled = compileRule({ rule }, rootType);
      assert.equal(compiled.error, error);
      assert.equal(compiled.program !== undefined, error === undefined);
    });
  }

  it('a syntax error is reported at its position; an empty rule is nothing to evaluate', () => {
    assert.match(
      compileRule({ rule: 'self.spec.replicas >' }, rootType).error!,
      /^compilation failed: ERROR: <input>:1:20: Syntax error: /,
    );
    const empty = compileRule({ rule: '  ' }, rootType);
    assert.equal(empty.error, undefined);
    assert.equal(empty.program, undefined);
  });

  it('knows which rules are transition rules, and checks messageExpression', () => {
    assert.equal(compileRule({ rule: 'self == oldSelf' }, rootType).usesOldSelf, true);
    assert.equal(compileRule({ rule: 'self.spec.replicas > 0' }, rootType).usesOldSelf, false);
    assert.equal(
      compileRule({ rule: 'true', messageExpression: '1' }, rootType).messageExpressionError,
      'messageExpression must evaluate to a string',
    );
    assert.match(
      compileRule({ rule: 'true', messageExpression: 'self.nope' }, rootType).messageExpressionError!,
      /^messageExpression compilation failed: ERROR: <input>:1:5: undefined field 'nope'/,
    );
  });
});

describe('CEL values and the Kubernetes library', () => {
  const spec = {
    replicas: 3,
    ratio: 1,
    name: 'Web-Server',
    tags: ['b', 'a', 'c'],
    labels: { app: 'web', 'team.example/x': 'y' },
    port: 8080,
    extra: { nested: { n: 2 } },
    namespace: 'ns',
    'max-size': 10,
    start: '2024-05-01T12:00:00Z',
    day: '2024-05-01',
    timeout: '90s',
    data: 'aGVsbG8=',
    template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 't', labels: { hidden: 'yes' } }, spec: { image: 'nginx' } },
  };
  const cases: [rule: string, expected: unknown][] = [
    // values: integers are ints, numbers doubles, int-or-string and preserved fields dyn
    ['self.replicas == 3 && type(self.replicas) == int', true],
    ['self.ratio == 1.0 && type(self.ratio) == double', true],
    ['self.port == 8080', true],
    // preserved fields no rule selects still count in equality, as upstream's unstructuredMap.Equal
    ['self.extra == self.extra && self.template.metadata == self.template.metadata', true],
    ['self.__namespace__ == "ns" && self.max__dash__size == 10', true],
    ['self.labels["team.example/x"] == "y"', true],
    // formatted strings: date-time and date as timestamps, duration as a duration, byte as bytes
    ['self.start > timestamp("2024-01-01T00:00:00Z") && self.start - self.day == duration("12h")', true],
    ['self.timeout > duration("1m") && self.timeout < duration("2m") && self.data == b"hello"', true],
    ['self.template.metadata.name == "t" && has(self.template.spec.image)', true],
    // strings extension
    ['self.name.lowerAscii() == "web-server" && self.name.upperAscii() == "WEB-SERVER"', true],
    ['self.name.split("-") == ["Web", "Server"] && ["a", "b"].join(",") == "a,b"', true],
    ['self.name.replace("-", "_") == "Web_Server" && self.name.substring(4) == "Server"', true],
    ['"  x ".trim() == "x" && self.name.indexOf("S") == 4 && self.name.lastIndexOf("e") == 8', true],
    // lists
    ['self.tags.isSorted() == false && ["a", "b"].isSorted()', true],
    ['[1, 2, 3].sum() == 6 && [1.5, 2.5].sum() == 4.0', true],
    ['self.tags.min() == "a" && self.tags.max() == "c"', true],
    ['[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2 && self.tags.indexOf("z") == -1', true],
    ['[].min() == 0', 'error: min called on empty list'],
    // regex
    ['"abc 123 def 456".find("[0-9]+") == "123" && "abc".find("[0-9]+") == ""', true],
    ['"abc 123 def 456".findAll("[0-9]+") == ["123", "456"] && "a1b2c3".findAll("[0-9]", 2) == ["1", "2"]', true],
    // urls
    ['isURL("https://example.com:8443/a/b?x=1&x=2") && !isURL("not a url")', true],
    [
      'url("https://example.com:8443/a/b?x=1").getScheme() == "https" && url("https://example.com:8443/a/b").getHost() == "example.com:8443"',
      true,
    ],
    ['url("https://example.com:8443/a").getHostname() == "example.com" && url("https://example.com:8443/a").getPort() == "8443"', true],
    [
      'url("https://example.com/a/b?x=1&x=2").getEscapedPath() == "/a/b" && url("https://e.com/?x=1&x=2").getQuery()["x"] == ["1", "2"]',
      true,
    ],
    // sets
    ['sets.contains([1, 2, 3], [2, 3]) && !sets.contains([1], [2])', true],
    ['sets.equivalent([1, 2], [2, 1, 1]) && sets.intersects([1, 2], [2, 5]) && !sets.intersects([1], [3])', true],
    // quantities
    ['isQuantity("500m") && isQuantity("1Gi") && !isQuantity("1.5.5")', true],
    ['quantity("1Gi").isGreaterThan(quantity("1G")) && quantity("100m").isLessThan(quantity("1"))', true],
    ['quantity("1k").asInteger() == 1000 && quantity("2Ki").asInteger() == 2048 && quantity("1e3").compareTo(quantity("1k")) == 0', true],
    ['quantity("1.5").isInteger() == false && quantity("1.5").asApproximateFloat() == 1.5 && quantity("-2").sign() == -1', true],
    ['quantity("1").add(quantity("500m")).isGreaterThan(quantity("1.4")) && quantity("1").sub(1).sign() == 0', true],
    // semantic versions
    ['isSemver("1.2.3-alpha.1+build") && !isSemver("v1.0") && isSemver("v1.0", true) && semver("01.02.03", true).minor() == 2', true],
    [
      'semver("1.2.3").isLessThan(semver("1.10.0")) && semver("1.0.0-alpha").isLessThan(semver("1.0.0")) && semver("1.0.0-alpha.2").compareTo(semver("1.0.0-alpha.10")) == -1',
      true,
    ],
    ['semver("2.0.0").isGreaterThan(semver("1.9.9")) && quantity("2").isGreaterThan(quantity("1")) && semver("1.2.3").major() == 1', true],
    // formats
    ['!format.dns1123Label().validate(self.__namespace__).hasValue() && format.dns1123Label().validate(self.name).hasValue()', true],
    ['format.named("labelValue").value().validate("a b").value().size() == 1 && !format.named("nope").hasValue()', true],
    [
      '!format.datetime().validate("2024-01-01T00:00:00Z").hasValue() && format.uuid().validate("x").value() == ["does not match the UUID format"]',
      true,
    ],
    // IPs and CIDRs
    ['isIP("10.0.0.1") && isIP("::1") && !isIP("010.0.0.1") && !isIP("::ffff:1.2.3.4") && !isIP("fe80::1%eth0")', true],
    [
      'ip("10.0.0.1").family() == 4 && ip("::1").isLoopback() && ip("8.8.8.8").isGlobalUnicast() && !ip("169.254.0.1").isGlobalUnicast()',
      true,
    ],
    ['ip.isCanonical("2001:db8::1") && !ip.isCanonical("2001:DB8::1") && string(ip("2001:db8:0:0:0:0:0:1")) == "2001:db8::1"', true],
    [
      'isCIDR("10.0.0.0/8") && !isCIDR("10.0.0.0/33") && cidr("10.0.0.0/8").containsIP("10.1.2.3") && !cidr("10.0.0.0/8").containsIP(ip("11.0.0.1"))',
      true,
    ],
    [
      'cidr("192.168.1.5/24").masked() == cidr("192.168.1.0/24") && cidr("192.168.1.5/24").prefixLength() == 24 && cidr("10.0.0.0/8").containsCIDR("10.1.0.0/16")',
      true,
    ],
    // netip's reading, with upstream's error texts (netip's own error inside)
    [
      'ip("010.0.0.1") == ip("10.0.0.1")',
      'error: IP Address "010.0.0.1" parse error during conversion from string: ParseAddr("010.0.0.1"): IPv4 field has octet with leading zero',
    ],
    [
      'ip("::1.2.3.256") == ip("::1")',
      'error: IP Address "::1.2.3.256" parse error during conversion from string: ParseAddr("::1.2.3.256"): ParseAddr("1.2.3.256"): IPv4 field has value >255 (at "1.2.3.256")',
    ],
    ['ip("fe80::1%eth0") == ip("fe80::1")', 'error: IP address "fe80::1%eth0" with zone value is not allowed'],
    ['ip("::ffff:1.2.3.4") == ip("1.2.3.4")', 'error: IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed'],
    [
      'cidr("10.0.0.0/08") == cidr("10.0.0.0/8")',
      'error: network address parse error during conversion from string: netip.ParsePrefix("10.0.0.0/08"): bad bits after slash: "08"',
    ],
    ['cidr("::ffff:1.2.3.0/120") == cidr("::/0")', 'error: IPv4-mapped IPv6 address "::ffff:1.2.3.0/120" is not allowed'],
    ['isIP("2001:db8::1:2:3:4:5") && !isIP("2001:db8::00001") && !isCIDR("fe80::%eth0/64") && isCIDR("::1.2.3.4/128")', true],
    // IPv6 link-local multicast is ff02::/16 whatever the flags nibble (netip: first group & 0xff0f == 0xff02)
    ['ip("ff12::1").isLinkLocalMulticast() && ip("ff02::1").isLinkLocalMulticast() && !ip("ff05::1").isLinkLocalMulticast()', true],
  ];
  for (const [rule, expected] of cases) {
    it(rule, () => assert.deepEqual(evaluate(rule, spec), expected));
  }
});

describe('timestamp() and duration() as cel-go converts them', () => {
  const cases: [rule: string, spec: Record<string, unknown>, expected: unknown][] = [
    // strings: Go's time.ParseDuration and time.Parse of RFC 3339
    ["duration(self.name) == duration('1h30m')", { name: '90m' }, true],
    ["duration(self.name) == duration('1500ns')", { name: '1.5\u03bcs' }, true],
    ["duration(self.name) < duration('0s')", { name: '-9223372036854775808ns' }, true],
    ['duration(self.name) > duration("0s")', { name: '' }, "error: type conversion error from 'string' to 'google.protobuf.Duration'"],
    ['duration(self.name) > duration("0s")', { name: '1d' }, "error: type conversion error from 'string' to 'google.protobuf.Duration'"],
    ["timestamp(self.name) == timestamp('2000-01-01T00:00:00.5Z')", { name: '2000-01-01T1:00:00,5+01:00' }, true],
    ["string(timestamp(self.name)) == '2024-02-29T23:59:59.123456789Z'", { name: '2024-02-29T23:59:59.123456789Z' }, true],
    [
      'timestamp(self.name) > timestamp(0)',
      { name: '2024-02-30T00:00:00Z' },
      "error: type conversion error from 'string' to 'google.protobuf.Timestamp'",
    ],
    [
      'timestamp(self.name) > timestamp(0)',
      { name: '2024-01-01' },
      "error: type conversion error from 'string' to 'google.protobuf.Timestamp'",
    ],
    ['timestamp(self.name) > timestamp(0)', { name: '0000-12-31T23:59:59Z' }, 'error: timestamp overflow'],
    ['timestamp(self.name) < timestamp(0)', { name: '0000-12-31T23:00:00-01:00' }, true],
    // ints: a timestamp counts seconds since the epoch, within years 1 to 9999; a duration never converts
    ["timestamp(self.replicas) == timestamp('1970-01-01T00:00:03Z')", { replicas: 3 }, true],
    ["timestamp(self.replicas) == timestamp('0001-01-01T00:00:00Z')", { replicas: -62135596800 }, true],
    ['timestamp(self.replicas) > timestamp(0)', { replicas: 253402300800 }, 'error: timestamp overflow'],
    ['timestamp(self.replicas) < timestamp(0)', { replicas: -62135596801 }, 'error: timestamp overflow'],
    ["duration(self.replicas) > duration('0s')", { replicas: 5 }, "error: type conversion error from 'int' to 'google.protobuf.Duration'"],
  ];
  for (const [rule, spec, expected] of cases) {
    it(`${rule} with ${JSON.stringify(spec)}`, () => assert.equal(evaluate(rule, spec), expected));
  }

  it('a conversion that fails fails its rule, worded as upstream words an evaluation error', () => {
    const v = ruleValidator({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { timeout: { type: 'string' } },
          'x-kubernetes-validations': [{ rule: "duration(self.timeout) < duration('1h')" }, { rule: 'timestamp(0) < timestamp(1)' }],
        },
      },
    })!;
    assert.deepEqual(v.validate({ spec: { timeout: '1h ' } }).errors.map(errorString), [
      `spec: Invalid value: "object": type conversion error from 'string' to 'google.protobuf.Duration' evaluating rule: duration(self.timeout) < duration('1h')`,
    ]);
    assert.deepEqual(v.validate({ spec: { timeout: '59m' } }).errors, []);
  });
});

describe('two-variable comprehensions', () => {
  const spec = { tags: ['b', 'a', 'c'], labels: { app: 'web', tier: '' }, replicas: 0 };
  const cases: [rule: string, expected: unknown][] = [
    // over a list the first variable is the index, over a map the key
    ['self.tags.all(i, t, type(i) == int && type(t) == string)', true],
    ['self.labels.all(k, v, type(k) == string && type(v) == string)', true],
    ["self.tags.transformList(i, t, i > 0, t + string(i)) == ['a1', 'c2']", true],
    // a map is iterated in the order its object was written
    ["self.labels.transformList(k, v, k) == ['app', 'tier']", true],
    ["self.labels.transformMap(k, v, v != '', v.size()) == {'app': 3}", true],
    ["self.tags.transformMap(i, t, t) == {0: 'b', 1: 'a', 2: 'c'}", true],
    ["self.tags.transformMapEntry(i, t, {t: i}) == {'a': 1, 'b': 0, 'c': 2}", true],
    ["self.labels.transformMapEntry(k, v, {'k': v}).size() == 1", 'error: insert failed: key k already exists'],
    // exists_one is the same macro as existsOne; neither short-circuits
    ["self.tags.exists_one(i, t, t == 'a') && !self.tags.existsOne(i, t, i > 0)", true],
    // an error in one iteration is absorbed where another decides, as && and || absorb it
    ['self.tags.exists(i, t, 1 / (i - 1) > 0 || t == "a")', true],
    // (@bufbuild/cel's wording; the validator reports it as cel-go's "division by zero")
    ['self.tags.all(i, t, 1 / self.replicas > 0)', 'error: int divide by zero'],
    ['self.tags.all(i, t, 1 / self.replicas > 0 && t == "b")', false],
    // names shadow outer ones, and one-variable comprehensions nest inside
    ['self.tags.all(i, t, self.tags.exists(i, u, u == t && self.labels.exists(k, k == "app")))', true],
    ['self.tags.exists(i, t, [10].all(i, v, i == 0 && v == 10) && i == 2)', true],
  ];
  for (const [rule, expected] of cases) {
    it(`${JSON.stringify(rule)} is ${String(expected)}`, () => {
      const got = evaluate(rule, spec);
      assert.equal(typeof got === 'string' && got.startsWith('error: ') ? got.replace(/ evaluating.*$/, '') : got, expected);
    });
  }
});

describe('fieldPath', () => {
  const cases: [string, string | undefined][] = [
    ['.replicas', 'replicas'],
    ['.labels.app', 'labels[app]'],
    [".labels['team.example/x']", 'labels[team.example/x]'],
    [".template.spec['image']", 'template.spec.image'],
    ['.nope', undefined],
    ['.tags[0]', undefined],
    ['replicas', undefined],
    ['.name.more', undefined],
  ];
  for (const [path, expected] of cases) it(path, () => assert.equal(normalizedFieldPath(path, SPEC), expected));
});

describe('rule validator', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': [
          {
            rule: 'self.min <= self.max',
            messageExpression: '"min " + string(self.min) + " is above max " + string(self.max)',
            fieldPath: '.min',
          },
          { rule: 'self.min >= 0', reason: 'FieldValueForbidden', message: ' min may not be negative ' },
          { rule: 'self.max < 100', reason: 'FieldValueDuplicate' },
          { rule: 'self.max < 200', reason: 'FieldValueRequired', messageExpression: '""' },
        ],
        properties: {
          min: { type: 'integer' },
          max: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self >= oldSelf', message: 'max may only grow' }] },
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, port: { type: 'integer' } },
              'x-kubernetes-validations': [{ rule: 'self.port == oldSelf.port', message: 'port of a name is fixed' }],
            },
          },
          nothing: { type: 'object', properties: { a: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.a > 0' }] },
        },
      },
    },
  };
  const v = ruleValidator(schema)!;
  const errors = (obj: unknown, old?: unknown) => v.validate(obj, old).errors.map(errorString);

  it('words failed rules as upstream: message, messageExpression, reason, fieldPath, the schema type as the value', () => {
    assert.deepEqual(errors({ spec: { min: 1, max: 2 } }), []);
    assert.deepEqual(errors({ spec: { min: 300, max: 250, nothing: {} } }), [
      'spec.min: Invalid value: "object": min 300 is above max 250',
      'spec: Duplicate value: "object"',
      'spec: Required value: failed rule: self.max < 200',
      'spec.nothing: Invalid value: "object": no such key: a evaluating rule: self.a > 0',
    ]);
    assert.deepEqual(errors({ spec: { min: -1, max: 1 } }), ['spec: Forbidden: min may not be negative']);
  });

  it('evaluates transition rules only where an old value correlates: fields, and list-type map items by key', () => {
    const old = { spec: { min: 0, max: 10, ports: [{ name: 'a', port: 1 }] } };
    assert.deepEqual(
      errors(
        {
          spec: {
            min: 0,
            max: 5,
            ports: [
              { name: 'a', port: 2 },
              { name: 'b', port: 3 },
            ],
          },
        },
        old,
      ),
      ['spec.max: Invalid value: "integer": max may only grow', 'spec.ports[0]: Invalid value: "object": port of a name is fixed'],
    );
    assert.deepEqual(errors({ spec: { min: 0, max: 5 } }), []);
  });

  it('lets an unchanged value keep breaking a rule without oldSelf, with a warning (ratcheting)', () => {
    const old = { spec: { min: 5, max: 1 } };
    assert.deepEqual(v.validate({ spec: { min: 5, max: 1 } }, old), {
      errors: [],
      warnings: ['spec.min: Invalid value: "object": min 5 is above max 1'],
    });
    assert.deepEqual(errors({ spec: { min: 6, max: 1 } }, old), ['spec.min: Invalid value: "object": min 6 is above max 1']);
  });

  it('compares the fields a rule cannot select (preserved unknown fields, untyped properties) in equality', () => {
    const preserved = ruleValidator({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutable' }],
          properties: {
            extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            untyped: { 'x-kubernetes-preserve-unknown-fields': true },
          },
        },
      },
    })!;
    const old = { spec: { extra: { a: 1 }, untyped: [1] } };
    assert.deepEqual(preserved.validate({ spec: { extra: { a: 1 }, untyped: [1] } }, old).errors, []);
    assert.deepEqual(preserved.validate({ spec: { extra: { a: 2 }, untyped: [1] } }, old).errors.map(errorString), [
      'spec: Invalid value: "object": immutable',
    ]);
    assert.deepEqual(preserved.validate({ spec: { extra: { a: 1 }, untyped: [2] } }, old).errors.map(errorString), [
      'spec: Invalid value: "object": immutable',
    ]);
  });

  it('sees a null field of an object as absent (unstructuredMap.Find), a null map value as null', () => {
    const v = ruleValidator({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          'x-kubernetes-validations': [{ rule: '!has(self.n) && self.m["a"] == null' }, { rule: 'self.n == 1' }],
          properties: {
            n: { type: 'integer', nullable: true },
            m: { type: 'object', additionalProperties: { type: 'string', nullable: true } },
          },
        },
      },
    })!;
    assert.deepEqual(v.validate({ spec: { n: null, m: { a: null } } }).errors.map(errorString), [
      'spec: Invalid value: "object": no such key: n evaluating rule: self.n == 1',
    ]);
  });

  it('is undefined for a schema without rules', () =>
    assert.equal(ruleValidator({ type: 'object', properties: { a: { type: 'string' } } }), undefined));
});

describe('rules checked on CRD writes', () => {
  it('checks rules children first, then compiles them; oldSelf is refused inside lists that do not correlate', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'self.nope' }],
      properties: {
        // bounded: comparing strings of up to 3 MB, once for each of as many as fit in a request, is over the cost budget
        list: {
          type: 'array',
          maxItems: 10,
          items: { type: 'string', maxLength: 64, 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: ' ' }] },
        },
        set: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['k'],
          items: { type: 'object', properties: { k: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] },
        },
      },
    };
    // A mistake in a rule's fields, at any depth, keeps every rule above it from being compiled.
    assert.deepEqual(validateSchemaRules(schema, 's', true).map(errorString), [
      's.properties[list].items.x-kubernetes-validations[0].message: Invalid value: " ": must be non-empty if specified',
    ]);
    (schema.properties!.list.items!['x-kubernetes-validations'] as { message?: string }[])[0].message = 'fixed';
    // Nothing is compiled in a schema that is not structural.
    assert.deepEqual(validateSchemaRules(schema, 's', false).map(errorString), []);
    assert.deepEqual(validateSchemaRules(schema, 's', true).map(errorString), [
      's.properties[list].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within s.properties[list]',
      `s.x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.nope", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:5: undefined field 'nope'\n | self.nope\n | ....^`,
    ]);
  });
});

describe('rule validator on arbitrary input', () => {
  it('never throws, whatever JSON the object and the old object hold', async () => {
    const fc = (await import('fast-check')).default;
    const v = ruleValidator({
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'self.metadata.name.size() > 0', messageExpression: 'string(self.spec)' }],
      properties: { spec: SPEC },
    })!;
    const specRules = ruleValidator({
      type: 'object',
      properties: { spec: { ...SPEC, 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] } },
    })!;
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (spec, old) => {
        const obj = { metadata: { name: 'x' }, spec };
        const errors = [
          ...v.validate(obj, { metadata: { name: 'x' }, spec: old }).errors,
          ...specRules.validate(obj, { spec: old }).errors,
        ];
        return Array.isArray(errors);
      }),
      { numRuns: 300 },
    );
  });
});

describe('rules in allOf', () => {
  it('are evaluated once each, with the types of the schema they apply to', () => {
    const v = ruleValidator({
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { tags: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size() < 3' }] } } },
          allOf: [{ properties: { tags: { items: { 'x-kubernetes-validations': [{ rule: 'self != "x"' }] } } } }],
        },
      },
    })!;
    // An allOf branch's rules come before those of the node's fields, as upstream orders them.
    assert.deepEqual(v.validate({ spec: { tags: ['long', 'x'] } }).errors.map(errorString), [
      'spec.tags[1]: Invalid value: "string": failed rule: self != "x"',
      'spec.tags[0]: Invalid value: "string": failed rule: self.size() < 3',
    ]);
  });
});
