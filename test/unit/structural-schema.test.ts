/**
 * The structural-schema machinery of custom resources: value validation with go-openapi's wording
 * as apiextensions-apiserver converts it to field errors, defaulting, the kind schema pruning reads
 * (unknown fields dropped, keys in name order), the structural checks of a CRD's schema, and the
 * JSONPath subset of printer columns.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorString } from '../../src/apimachinery/field-errors.js';
import { validateValue } from '../../src/apimachinery/structural-schema/validate.js';
import { applyDefaults } from '../../src/apimachinery/structural-schema/defaults.js';
import { validateStructural } from '../../src/apimachinery/structural-schema/structural.js';
import { customKindSchema } from '../../src/apimachinery/structural-schema/kind-schema.js';
import type { JSONSchemaProps } from '../../src/apimachinery/structural-schema/types.js';
import { prune } from '../../src/apimachinery/prune.js';
import { canonicalize } from '../../src/registry/serialize.js';
import { jsonPathValues } from '../../src/apimachinery/json-path.js';

const messages = (value: unknown, schema: JSONSchemaProps) => validateValue(value, schema).map(errorString);

const SPEC: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
        replicas: { type: 'integer', minimum: 1, maximum: 10, default: 1 },
        ratio: { type: 'number', exclusiveMaximum: true, maximum: 1, multipleOf: 0.25 },
        mode: { type: 'string', enum: ['a', 'b'] },
        port: { 'x-kubernetes-int-or-string': true },
        when: { type: 'string', format: 'date-time' },
        tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        labels: { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 1 },
        maybe: { type: 'string', nullable: true },
        items: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' }, size: { type: 'integer', default: 3 } } },
        },
        raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: {} } } },
      },
    },
  },
};

describe('structural schema validation', () => {
  it('types, int-or-string and null, worded as upstream', () => {
    assert.deepEqual(messages({ spec: { name: 'ab', replicas: 'string' } }, SPEC), [
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
    assert.deepEqual(messages({ spec: { name: 'ab', replicas: 1.5, port: true } }, SPEC), [
      'spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"',
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
    ]);
    assert.deepEqual(messages({ spec: { name: 'ab', port: 'http', maybe: null } }, SPEC), []);
    assert.deepEqual(messages({ spec: null }, SPEC), ['spec: Invalid value: "null": spec in body must be of type object: "null"']);
  });

  it('required, enum, pattern, lengths, bounds, multipleOf, format', () => {
    assert.deepEqual(messages({ spec: {} }, SPEC), ['spec.name: Required value']);
    assert.deepEqual(messages({ spec: { name: 'TOOLONG', replicas: 0, ratio: 1, mode: 'c', when: 'yesterday' } }, SPEC), [
      'spec.name: Too long: may not be more than 5 bytes',
      `spec.name: Invalid value: "TOOLONG": spec.name in body should match '^[a-z]+$'`,
      'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
      'spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1',
      'spec.mode: Unsupported value: "c": supported values: "a", "b"',
      'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
    ]);
    assert.deepEqual(messages({ spec: { name: 'a', replicas: 11, ratio: 0.3 } }, SPEC), [
      'spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long',
      'spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10',
      'spec.ratio: Invalid value: 0.3: spec.ratio in body should be a multiple of 0.25',
    ]);
  });

  it('format date-time and date as strfmt.IsDateTime and IsDate read them: a T (any case), a real date, no space', () => {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: { at: { type: 'string', format: 'date-time' }, day: { type: 'string', format: 'date' } },
    };
    for (const ok of ['2024-01-02T03:04:05Z', '2024-01-02t03:04:05.5z', '2024-02-29T23:59:59+05:30'])
      assert.deepEqual(messages({ at: ok }, schema), [], ok);
    for (const bad of ['2024-01-02 03:04:05Z', '2024-01-02T03:04:05', '2024-01-02T24:00:00Z', '2023-02-29T03:04:05Z']) {
      assert.deepEqual(messages({ at: bad }, schema), [`at: Invalid value: "${bad}": at in body must be of type date-time: "${bad}"`], bad);
    }
    assert.deepEqual(messages({ day: '2024-02-29' }, schema), []);
    assert.deepEqual(messages({ day: '2024-02-30' }, schema), [
      'day: Invalid value: "2024-02-30": day in body must be of type date: "2024-02-30"',
    ]);
  });

  it('format duration: Go durations, the micro sign among the units, and strfmt’s number-unit pairs', () => {
    const schema: JSONSchemaProps = { type: 'object', properties: { timeout: { type: 'string', format: 'duration' } } };
    for (const ok of ['1h30m', '-1.5s', '300ms', '10us', '10\u00b5s', '2d', '1w', '3 days', '1hour', '2 Mins 3 secs'])
      assert.deepEqual(messages({ timeout: ok }, schema), [], ok);
    for (const bad of ['10xs', '5', 'soon']) {
      assert.deepEqual(messages({ timeout: bad }, schema), [
        `timeout: Invalid value: "${bad}": timeout in body must be of type duration: "${bad}"`,
      ]);
    }
  });

  it('items, properties and list types: counts, item paths with dots, duplicates', () => {
    assert.deepEqual(messages({ spec: { name: 'ab', tags: [] } }, SPEC), [
      'spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items',
    ]);
    assert.deepEqual(messages({ spec: { name: 'ab', tags: ['x', 1, 'x'] } }, SPEC), [
      'spec.tags: Too many: 3: must have at most 2 items',
      'spec.tags.1: Invalid value: "integer": spec.tags.1 in body must be of type string: "integer"',
      'spec.tags[2]: Duplicate value: "x"',
    ]);
    assert.deepEqual(messages({ spec: { name: 'ab', labels: { a: 'x', b: 2 } } }, SPEC), [
      'spec.labels: Too many: 2: must have at most 1 items',
      'spec.labels.b: Invalid value: "integer": spec.labels.b in body must be of type string: "integer"',
    ]);
    assert.deepEqual(messages({ spec: { name: 'ab', items: [{ name: 'a' }, { name: 'a', size: 1 }] } }, SPEC), [
      'spec.items[1]: Duplicate value: map[name:a]',
    ]);
    assert.deepEqual(messages({ spec: { name: 'ab', template: { spec: {} } } }, SPEC), [
      'spec.template.apiVersion: Required value: must not be empty',
      'spec.template.kind: Required value: must not be empty',
    ]);
  });
});

describe('structural defaulting and pruning', () => {
  it('defaults absent fields at any depth, list items included; present ones stay', () => {
    const obj = { spec: { name: 'ab', items: [{ name: 'a' }, { name: 'b', size: 9 }] } };
    applyDefaults(obj, SPEC);
    assert.deepEqual(obj, {
      spec: {
        name: 'ab',
        items: [
          { name: 'a', size: 3 },
          { name: 'b', size: 9 },
        ],
        replicas: 1,
      },
    });
    const explicit = { spec: { name: 'ab', replicas: 4 } };
    applyDefaults(explicit, SPEC);
    assert.equal(explicit.spec.replicas, 4);
  });

  it('prunes unknown fields (reported), keeps preserve-unknown-fields and map values, and orders keys by name', () => {
    const schema = customKindSchema(SPEC, { group: 'stable.example.com', version: 'v1', kind: 'CronTab' });
    assert.equal(schema.$id, 'com.example.stable.v1.CronTab');
    const value = {
      spec: {
        replicas: 2,
        name: 'ab',
        junk: true,
        raw: { z: 1, a: { b: 2 } },
        labels: { b: 'x', a: 'y' },
        template: { spec: { x: 1 }, kind: 'Pod' },
      },
      metadata: { name: 'n', bogus: 1 },
      kind: 'CronTab',
      apiVersion: 'stable.example.com/v1',
      extra: 1,
    };
    const pruned = prune(value, schema);
    assert.deepEqual(pruned.unknown.map((p) => p.join('.')).sort(), ['extra', 'metadata.bogus', 'spec.junk', 'spec.template.spec.x']);
    const ordered = canonicalize(pruned.value as never, schema) as unknown as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(ordered), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.deepEqual(Object.keys(ordered.spec), ['labels', 'name', 'raw', 'replicas', 'template']);
    assert.deepEqual(ordered.spec.raw, { z: 1, a: { b: 2 } });
    assert.deepEqual(Object.keys(ordered.spec.labels as object), ['a', 'b']);
  });
});

describe('nulls in a custom resource (PruneNonNullableNullsWithoutDefaults, then Default)', () => {
  const NULLS: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          plain: { type: 'integer' },
          withDefault: { type: 'integer', default: 5 },
          nullable: { type: 'integer', nullable: true },
          nullableWithDefault: { type: 'integer', nullable: true, default: 7 },
          map: { type: 'object', additionalProperties: { type: 'string' } },
          defaultedMap: { type: 'object', additionalProperties: { type: 'string', default: 'd' } },
          list: { type: 'array', items: { type: 'string' } },
          defaultedList: { type: 'array', items: { type: 'string', default: 'd' } },
          raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
  };
  const schema = customKindSchema(NULLS, { group: 'nulls.example.com', version: 'v1', kind: 'Null' });
  const decoded = (spec: Record<string, unknown>, unstructured: boolean) => {
    const out = prune({ apiVersion: 'nulls.example.com/v1', kind: 'Null', metadata: { name: 'n' }, spec }, schema, { unstructured })
      .value as { spec: Record<string, unknown> };
    if (unstructured) applyDefaults(out, NULLS);
    return out.spec;
  };
  const spec = {
    plain: null,
    withDefault: null,
    nullable: null,
    nullableWithDefault: null,
    map: { a: null, b: 'x' },
    defaultedMap: { a: null },
    list: ['x', null],
    defaultedList: [null],
    raw: { a: null },
  };

  it('drops a non-nullable null without a default, defaults one with, keeps a nullable one; list items stay null', () => {
    assert.deepEqual(decoded(spec, true), {
      withDefault: 5,
      nullable: null,
      nullableWithDefault: null,
      map: { b: 'x' },
      defaultedMap: { a: 'd' },
      list: ['x', null],
      defaultedList: ['d'],
      raw: { a: null },
    });
    // and the null list item is refused by validation
    assert.deepEqual(messages({ spec: decoded(spec, true) }, NULLS), [
      'spec.list.1: Invalid value: "null": spec.list.1 in body must be of type string: "null"',
    ]);
  });

  it('a typed kind still decodes nulls as Go does (zero values)', () => {
    assert.deepEqual(decoded({ map: { a: null }, list: [null] }, false), { map: { a: '' }, list: [''] });
  });
});

describe('structural checks of a CRD schema', () => {
  it('types required below the root, object at the root, properties or additionalProperties, items for arrays', () => {
    const at = 'spec.versions[0].schema.openAPIV3Schema';
    const errs = validateStructural(
      {
        type: 'array',
        properties: {
          a: { properties: {} },
          b: { type: 'object', properties: { c: { type: 'string' } }, additionalProperties: { type: 'string' } },
          d: { type: 'array' },
          e: { 'x-kubernetes-int-or-string': true, type: 'string' },
          f: { 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
      at,
    ).map(errorString);
    assert.deepEqual(errs, [
      `${at}.type: Invalid value: "array": must be object at the root`,
      `${at}.items: Required value: must be specified`,
      `${at}.properties[a].type: Required value: must not be empty for specified object fields`,
      `${at}.properties[b].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      `${at}.properties[d].items: Required value: must be specified`,
      `${at}.properties[e].type: Invalid value: "string": must be empty if x-kubernetes-int-or-string is true`,
    ]);
    assert.deepEqual(validateStructural(SPEC, at), []);
  });
});

describe('JSONPath subset', () => {
  it('fields, indexes, wildcards, quoted keys and equality filters', () => {
    const obj = {
      spec: { replicas: 3, 'a.b': 'q' },
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'X', status: 'False' },
        ],
      },
    };
    assert.deepEqual(jsonPathValues(obj, '.spec.replicas'), [3]);
    assert.deepEqual(jsonPathValues(obj, ".spec['a.b']"), ['q']);
    assert.deepEqual(jsonPathValues(obj, '.status.conditions[1].type'), ['X']);
    assert.deepEqual(jsonPathValues(obj, '.status.conditions[*].status'), ['True', 'False']);
    assert.deepEqual(jsonPathValues(obj, '.status.conditions[?(@.type=="Ready")].status'), ['True']);
    assert.deepEqual(jsonPathValues(obj, '.spec.missing'), []);
  });
});
