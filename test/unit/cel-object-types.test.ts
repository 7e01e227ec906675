/**
 * Object types in CRD rules as apiextensions declares them: named after the rule's `self`
 * (`selfType<nanoseconds>`, then `.field`, `.@idx`, `.@elem`; DeclType.MaybeAssignTypeName), the
 * name cel-go's checker prints, and not a range a comprehension may iterate (only lists, maps and
 * dyn are): `self.all(k, …)` over an object with properties does not compile. Two object types
 * differ by name in a list or map literal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRule } from '../../src/apimachinery/cel/compile.js';
import { celTypeOf, namedTypes, typeName } from '../../src/apimachinery/cel/types.js';
import type { JSONSchemaProps } from '../../src/apimachinery/structural-schema/types.js';

const SPEC: JSONSchemaProps = {
  type: 'object',
  properties: {
    owner: { type: 'object', properties: { name: { type: 'string' } } },
    ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' } } } },
    zones: { type: 'object', additionalProperties: { type: 'object', properties: { weight: { type: 'integer' } } } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    'max-size': { type: 'object', properties: { value: { type: 'integer' } } },
    start: { type: 'string', format: 'date-time' },
    data: { type: 'string', format: 'byte' },
  },
};

const compileError = (rule: string) => compileRule({ rule }, celTypeOf(SPEC, false)).error;

/** The compile error with the generated self type name replaced by `selfType#`. */
const stable = (error: string | undefined) => error?.replace(/selfType\d+/g, 'selfType#');

const rangeError = (type: string, column: number, rule: string) =>
  `compilation failed: ERROR: <input>:1:${column}: expression of type '${type}' cannot be range of a comprehension (must be list, map, or dynamic)\n` +
  ` | ${rule}\n | ${'.'.repeat(column - 1)}^`;

describe('CEL object types', () => {
  it('are named after self, their fields (escaped), list items and map values', () => {
    const named = namedTypes(celTypeOf(SPEC, false), 'selfType7');
    assert.equal(typeName(named), 'selfType7');
    assert.equal(named.kind, 'object');
    if (named.kind !== 'object') return;
    const field = (name: string) => named.fields.get(name)!.type;
    assert.equal(typeName(field('owner')), 'selfType7.owner');
    assert.equal(typeName(field('ports')), 'list(selfType7.ports.@idx)');
    assert.equal(typeName(field('zones')), 'map(string, selfType7.zones.@elem)');
    assert.equal(typeName(field('labels')), 'map(string, string)');
    assert.equal(typeName(field('max__dash__size')), 'selfType7.max__dash__size');
  });

  it('are no range for a comprehension macro, with one or two variables', () => {
    const cases: [rule: string, type: string, column: number][] = [
      ['self.all(k, k != "")', 'selfType#', 1],
      ['self.owner.exists(k, k == "name")', 'selfType#.owner', 5],
      ['self.owner.exists_one(k, true)', 'selfType#.owner', 5],
      ['self.owner.map(k, k).size() == 1', 'selfType#.owner', 5],
      ['self.owner.filter(k, true).size() == 1', 'selfType#.owner', 5],
      ['self.owner.all(k, v, true)', 'selfType#.owner', 5],
      ['self.ports.all(p, p.all(k, true))', 'selfType#.ports.@idx', 19],
      ['self.zones["a"].exists(k, true)', 'selfType#.zones.@elem', 11],
      ['self.max__dash__size.all(k, true)', 'selfType#.max__dash__size', 5],
      ['self.start.all(k, true)', 'google.protobuf.Timestamp', 5],
      ['self.data.exists(b, true)', 'bytes', 5],
    ];
    for (const [rule, type, column] of cases) assert.equal(stable(compileError(rule)), rangeError(type, column, rule), rule);
  });

  it('lists, maps and dyn stay ranges', () => {
    for (const rule of [
      'self.ports.all(p, p.port > 0)',
      'self.zones.all(k, self.zones[k].weight > 0)',
      'self.labels.exists(k, v, v == "x")',
      'dyn(self.owner).all(k, true)',
    ]) {
      assert.equal(compileError(rule), undefined, rule);
    }
  });

  it('name the object in other checker errors too', () => {
    assert.match(compileError('self.owner == 1') ?? '', /found no matching overload for '_==_' applied to '\(selfType\d+\.owner, int\)'/);
  });

  it('differ by name in a list or map literal, which holds one type', () => {
    assert.match(
      compileError('[self.owner, self.max__dash__size].size() == 2') ?? '',
      /:1:18: expected type 'selfType\d+\.owner' but found 'selfType\d+\.max__dash__size'/,
    );
    assert.match(compileError('[1, self.owner].size() == 2') ?? '', /:1:9: expected type 'int' but found 'selfType\d+\.owner'/);
    assert.equal(compileError('[self.owner, self.owner].size() == 2'), undefined);
    assert.equal(compileError('[self.ports[0], self.ports[1]].size() == 2'), undefined);
  });
});
