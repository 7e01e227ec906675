import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { hasDuplicateKeys, unknownFieldQuote } from '../../src/apimachinery/json-scan.js';
import { numberTokens } from '../../src/apimachinery/json-numbers.js';
import {
  decodeError,
  fieldPathString,
  JsonSyntaxError,
  pathsKeepTextOrder,
  prune,
  scanJson,
  strictPath,
  unknownFieldFindings,
} from '../../src/apimachinery/prune.js';
import { schemaFor } from '../../src/resources/schemas.js';

const ds = schemaFor('apps/v1', 'DaemonSet')!;
const pod = schemaFor('v1', 'Pod')!;
const cr = schemaFor('apps/v1', 'ControllerRevision')!;

const daemonSet = (extra: { spec?: Record<string, unknown>; container?: Record<string, unknown> } = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'logger', labels: { app: 'logger' } },
  spec: {
    selector: { matchLabels: { app: 'logger' } },
    template: { metadata: { labels: { app: 'logger' } }, spec: { containers: [{ name: 'logger', image: 'busybox', ...extra.container }] } },
    ...extra.spec,
  },
});

describe('prune', () => {
  it('keeps a valid object as it is', () => {
    const r = prune(daemonSet(), ds);
    assert.deepEqual(r.value, daemonSet());
    assert.deepEqual(r.unknown, []);
    assert.equal(r.typeError, undefined);
  });

  it('drops unknown fields and reports their paths as strict decoding names them', () => {
    const r = prune(daemonSet({ spec: { bogusField: true }, container: { imagee: 'x' } }), ds);
    assert.deepEqual(r.value, daemonSet());
    assert.deepEqual(r.unknown.map(strictPath), ['spec.bogusField', 'spec.template.spec.containers[0].imagee']);
  });

  it('reports unknown fields Go-quoted, or unescaped for a custom resource (`unknown field "%s"`)', () => {
    const obj = daemonSet({ spec: { 'x\u0001': true } });
    const r = prune(obj, ds);
    assert.deepEqual(unknownFieldFindings(obj, r.unknown), ['unknown field "spec.x\\x01"']);
    assert.deepEqual(unknownFieldFindings(obj, r.unknown, unknownFieldQuote(false)), ['unknown field "spec.x\\x01"']);
    assert.deepEqual(unknownFieldFindings(obj, r.unknown, unknownFieldQuote(true)), ['unknown field "spec.x\u0001"']);
  });

  it('names list items by key in server-side apply paths', () => {
    const r = prune(daemonSet({ container: { imagee: 'x', ports: [{ containerPort: 80, bogus: 1 }] } }), ds);
    assert.deepEqual(r.unknown.map(fieldPathString), [
      '.spec.template.spec.containers[name="logger"].imagee',
      '.spec.template.spec.containers[name="logger"].ports[containerPort=80].bogus',
    ]);
  });

  it('keeps map values and open values whatever they hold', () => {
    const rev = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { annotations: { any: 'thing' } },
      data: { spec: { anything: [1, { x: null }] } },
      revision: 1,
    };
    const r = prune(rev, cr);
    assert.deepEqual(r.value, rev);
    assert.deepEqual(r.unknown, []);
  });

  it('treats null as absent, and a null map value or list item as the zero value', () => {
    const r = prune(
      {
        metadata: { name: 'p', creationTimestamp: null, labels: { a: null } },
        spec: { nodeSelector: null, containers: [{ name: 'c', args: [null, 'x'] }] },
      },
      pod,
    );
    assert.deepEqual(r.value, { metadata: { name: 'p', labels: { a: '' } }, spec: { containers: [{ name: 'c', args: ['', 'x'] }] } });
  });

  it('puts fields in schema (Go struct) order', () => {
    const r = prune(
      { spec: { containers: [{ image: 'i', name: 'n' }] }, metadata: { labels: {}, name: 'p' }, kind: 'Pod', apiVersion: 'v1' },
      pod,
    );
    assert.equal(
      JSON.stringify(r.value),
      '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","labels":{}},"spec":{"containers":[{"name":"n","image":"i"}]}}',
    );
  });

  it('reports the first type mismatch as encoding/json does', () => {
    assert.equal(
      prune({ spec: 'x' }, ds).typeError,
      'json: cannot unmarshal string into Go struct field DaemonSet.spec of type v1.DaemonSetSpec',
    );
    assert.equal(
      prune({ spec: { template: { spec: { containers: {} } } } }, ds).typeError,
      'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
    );
    assert.equal(
      prune({ metadata: { labels: { a: 1 } } }, pod).typeError,
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
    );
    assert.equal(
      prune({ spec: { minReadySeconds: 1.5 } }, ds).typeError,
      'json: cannot unmarshal number 1.5 into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32',
    );
    assert.equal(prune([], ds).typeError, 'json: cannot unmarshal array into Go value of type v1.DaemonSet');
  });
});

describe('prune: numbers read from their text, as Go reads them', () => {
  /** Prunes a JSON text as a body is decoded: JSON.parse, plus the numbers it did not keep as written. */
  const decode = (text: string, schema = ds) => {
    const buf = Buffer.from(text);
    const numbers = numberTokens(buf);
    return prune(JSON.parse(text), schema, { goZeros: true, ...(numbers && { numbers }) });
  };
  const podWithPort = (port: string) =>
    `{"kind":"Pod","spec":{"containers":[{"name":"n","image":"i","ports":[{"containerPort":${port}}]}]}}`;

  it('an int field refuses a point or an exponent, quoting the number as written', () => {
    assert.equal(
      decode(podWithPort('80.0'), pod).typeError,
      'json: cannot unmarshal number 80.0 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
    assert.equal(
      decode('{"spec":{"revisionHistoryLimit":1e2}}').typeError,
      'json: cannot unmarshal number 1e2 into Go struct field DaemonSetSpec.spec.revisionHistoryLimit of type int32',
    );
    assert.equal(
      decode('{"spec":{"minReadySeconds":1E+1}}').typeError,
      'json: cannot unmarshal number 1E+1 into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32',
    );
    assert.equal(decode(podWithPort('80'), pod).typeError, undefined);
  });

  it('a number past an int field quotes its text, not the value JS made of it', () => {
    assert.equal(
      decode('{"spec":{"minReadySeconds":1000000000000000000000}}').typeError,
      'json: cannot unmarshal number 1000000000000000000000 into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32',
    );
    assert.equal(
      decode('{"spec":{"minReadySeconds":1e18}}').typeError,
      'json: cannot unmarshal number 1e18 into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32',
    );
    assert.equal(
      decode('{"spec":{"minReadySeconds":1e999999}}').typeError,
      'json: cannot unmarshal number 1e999999 into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32',
    );
    assert.equal(
      decode('{"metadata":{"generation":9223372036854775808}}').typeError,
      'json: cannot unmarshal number 9223372036854775808 into Go struct field ObjectMeta.metadata.generation of type int64',
    );
    assert.equal(
      decode('{"spec":{"minReadySeconds":2147483648}}').typeError,
      'json: cannot unmarshal number 2147483648 into Go struct field DaemonSetSpec.spec.minReadySeconds of type int32',
    );
  });

  it('an int-or-string reads a number as an int32 from its text', () => {
    const probe = (port: string) => `{"spec":{"containers":[{"name":"n","image":"i","readinessProbe":{"httpGet":{"port":${port}}}}]}}`;
    assert.equal(
      decodeError(decode(probe('80.0'), pod)),
      'json: cannot unmarshal number 80.0 into Go struct field HTTPGetAction.spec.containers.readinessProbe.httpGet.port of type int32',
    );
    assert.equal(decodeError(decode(probe('8080'), pod)), undefined);
  });

  it('a quantity given as a number is read from its text (an exponent keeps the DecimalExponent format)', () => {
    const cpu = (n: string) => `{"spec":{"containers":[{"name":"n","image":"i","resources":{"requests":{"cpu":${n}}}}]}}`;
    const requests = (text: string) =>
      (decode(text, pod).value as { spec: { containers: { resources: { requests: { cpu: string } } }[] } }).spec.containers[0].resources
        .requests.cpu;
    assert.equal(requests(cpu('1e3')), '1e3');
    assert.equal(requests(cpu('1000')), '1k');
    assert.equal(requests(cpu('0.5')), '500m');
    assert.equal(requests(cpu('2.0')), '2');
  });

  it('a float64 field refuses a number past its range, quoting it', () => {
    const schema = Type.Object({ ratio: Type.Number() }, { $id: 'io.k8s.api.test.v1.Ratio' });
    assert.equal(
      decode('{"ratio":1e999999}', schema).typeError,
      'json: cannot unmarshal number 1e999999 into Go struct field Ratio.ratio of type float64',
    );
    assert.equal(decode('{"ratio":1.5e300}', schema).typeError, undefined);
    assert.equal(decode('{"ratio":1e-999999}', schema).typeError, undefined);
  });
});

describe('scanJson', () => {
  const scan = (text: string, schema = ds) => scanJson(Buffer.from(text), schema);

  it('finds unknown fields in document order, with upstream paths', () => {
    const text = JSON.stringify(daemonSet({ spec: { bogusField: true }, container: { imagee: 'x' } }));
    assert.deepEqual(scan(text).strict, ['unknown field "spec.template.spec.containers[0].imagee"', 'unknown field "spec.bogusField"']);
  });

  it('finds duplicate fields, in structs and in maps', () => {
    const r = scan('{"kind":"DaemonSet","metadata":{"name":"a","name":"b","labels":{"x":"1","x":"2"}},"kind":"DaemonSet"}');
    assert.deepEqual(r.strict, ['duplicate field "metadata.name"', 'duplicate field "metadata.labels.x"', 'duplicate field "kind"']);
    assert.equal(r.hasDuplicates, true);
  });

  it('reports each finding once', () => {
    assert.deepEqual(scan('{"spec":{"foo":1},"spec":{"foo":2}}').strict, ['unknown field "spec.foo"', 'duplicate field "spec"']);
  });

  it('does not look inside unknown fields or raw values', () => {
    assert.deepEqual(scan('{"bogus":{"a":1,"a":2}}').strict, ['unknown field "bogus"']);
    assert.deepEqual(scan('{"data":{"a":1,"a":2,"x":{"y":1}}}', cr).strict, []);
  });

  it('quotes paths as sigs.k8s.io/json does (strconv.Quote), and unknown fields of a custom resource unescaped', () => {
    // JSON escapes in the text: U+0001 and U+00A0 in an unknown key, U+2028 in a repeated label key.
    const text = '{"spec":{"bo\\u0001gus\\u00a0":1},"metadata":{"labels":{"a\\u2028":"1","a\\u2028":"2"}}}';
    assert.deepEqual(scan(text).strict, ['unknown field "spec.bo\\x01gus\\u00a0"', 'duplicate field "metadata.labels.a\\u2028"']);
    assert.deepEqual(scanJson(Buffer.from(text), ds, unknownFieldQuote(true)).strict, [
      'unknown field "spec.bo\u0001gus\u00a0"',
      'duplicate field "metadata.labels.a\\u2028"',
    ]);
  });

  it('without a schema only finds duplicates', () => {
    assert.deepEqual(scanJson(Buffer.from('{"a":{"b":1,"b":2},"c":[{"d":1,"d":1}]}')).strict, [
      'duplicate field "a.b"',
      'duplicate field "c[0].d"',
    ]);
  });

  it('rejects bad JSON with Go messages', () => {
    const cases: [string, string][] = [
      ['', 'unexpected end of JSON input'],
      ['{"a":', 'unexpected end of JSON input'],
      ['x', "invalid character 'x' looking for beginning of value"],
      ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
      ['[1 2]', "invalid character '2' after array element"],
      ['{"a":1}}', "invalid character '}' after top-level value"],
      ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
      ['{"a":-x}', "invalid character 'x' in numeric literal"],
      ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
      ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
      ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
      ['{"a":"\n"}', "invalid character '\\n' in string literal"],
      ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => scanJson(Buffer.from(text)),
        (e: unknown) => e instanceof JsonSyntaxError && e.message === message,
        text,
      );
    }
  });
});

describe('unknown fields from prune instead of a second scan', () => {
  /** What object-body does for a JSON body: prune's paths unless the text needs the scan. */
  const findings = (text: string, schema = pod) => {
    const value = JSON.parse(text) as unknown;
    const r = prune(value, schema);
    return {
      viaPrune: unknownFieldFindings(value, r.unknown),
      keepsOrder: pathsKeepTextOrder(r.unknown),
      scan: scanJson(Buffer.from(text), schema).strict,
    };
  };

  it('gives the findings of the scan in document order, not schema order', () => {
    const bodies = [
      '{"spec":{"containers":[{"name":"a","imagee":"x","image":"y","bad":1},{"name":"b","zz":2}],"nodeNamee":"n"},"bogus":true,"metadata":{"name":"p","labelz":{}}}',
      '{"zzz":1,"metadata":{"name":"p","aaa":2},"kind":"Pod","spec":{"volumes":[{"name":"v","x":1}],"containers":[{"name":"c","image":"i","q":1}]}}',
      '{"metadata":{"labels":{"a":"b"},"annotations":{"x":"y"},"weird":{"nested":{"deep":1}}},"status":{"conditions":[{"type":"Ready","nope":1}],"phasee":"x"}}',
    ];
    for (const text of bodies) {
      const r = findings(text);
      assert.ok(r.scan.length >= 2, text);
      assert.equal(r.keepsOrder, true, text);
      assert.deepEqual(r.viaPrune, r.scan, text);
    }
  });

  it('repeats no finding and stops at 100, as the scan does', () => {
    const fields = Array.from({ length: 120 }, (_, i) => `"unknown${i}":${i}`).join(',');
    const r = findings(`{${fields},"spec":{"a.b":1},"spec.a":{}}`, ds);
    assert.equal(r.viaPrune.length, 100);
    assert.deepEqual(r.viaPrune, r.scan);
    const dotted = findings('{"spec":{"template":{"x":1}},"spec.template.x":2}', ds);
    assert.deepEqual(dotted.viaPrune, ['unknown field "spec.template.x"']);
    assert.deepEqual(dotted.viaPrune, dotted.scan);
  });

  it('says when JS key order is not the text order (fields named like array indexes)', () => {
    const r = findings('{"zz":1,"7":2}');
    assert.equal(r.keepsOrder, false);
    assert.deepEqual(r.scan, ['unknown field "zz"', 'unknown field "7"']);
    assert.equal(findings('{"7":2}').keepsOrder, true);
  });

  it('hasDuplicateKeys finds a repeated key at any depth, escaped or not, and nothing else', () => {
    const cases: [string, boolean][] = [
      ['{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}', false],
      ['{"a":1,"a":2}', true],
      ['{"x":{"y":[{"k":1,"k":2}]}}', true],
      ['{"a":1,"\\u0061":2}', true],
      ['{"a":"{\\"a\\":1,\\"a\\":2}","b":"\\\\","c":1}', false],
      ['{"a\\\\":1,"a\\\\":2}', true],
      ['[{"a":1},{"a":1}]', false],
      ['{"a":[1,"a",{"a":1}],"b":"a"}', false],
      ['"a"', false],
      ['{ "a" :\n 1 , "a"\t: 2 }', true],
      ['{"a":"x\\": y","b":"\\\\","c":[":",{"d":":"}]}', false],
      ['{"__proto__":1,"__proto__":2}', true],
      ['{"__proto__":{"x":1},"y":[[{"z":1,"w":{}}]]}', false],
    ];
    for (const [text, duplicate] of cases) {
      assert.equal(hasDuplicateKeys(Buffer.from(text), JSON.parse(text)), duplicate, text);
      if (!duplicate) assert.equal(scanJson(Buffer.from(text)).hasDuplicates, false, text);
      else assert.equal(scanJson(Buffer.from(text)).hasDuplicates, true, text);
    }
  });
});
