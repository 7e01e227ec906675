import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deepClone } from '../../src/apimachinery/object.js';

/** What a trip through JSON gives: deepClone's definition. */
const trip = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

describe('deepClone', () => {
  it('copies a JSON value as a trip through JSON does, sharing nothing with it', () => {
    const pod = {
      kind: 'Pod',
      metadata: { name: 'p', labels: { app: 'a' }, ownerReferences: [{ uid: 'u', controller: true }] },
      spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }], priority: 0 },
    };
    const copy = deepClone(pod);
    assert.deepEqual(copy, pod);
    assert.equal(JSON.stringify(copy), JSON.stringify(pod));
    assert.notEqual(copy.metadata, pod.metadata);
    assert.notEqual(copy.spec.containers[0], pod.spec.containers[0]);
    copy.metadata.labels.app = 'b';
    assert.equal(pod.metadata.labels.app, 'a');
  });

  it('drops and replaces what JSON cannot hold exactly as the trip does', () => {
    const odd = {
      gone: undefined,
      fn: () => 1,
      sym: Symbol('s'),
      list: [undefined, () => 2, NaN, Infinity, -0, 1.5],
      zero: -0,
      when: new Date(0),
      custom: { toJSON: () => 'custom' },
      bare: Object.assign(Object.create(null) as object, { a: 1 }),
    };
    const copy = deepClone(odd);
    assert.deepEqual(copy, trip(odd));
    assert.equal(JSON.stringify(copy), JSON.stringify(trip(odd)));
    assert.ok(Object.is((copy as unknown as { zero: number }).zero, 0));
    assert.equal(Object.getPrototypeOf((copy as unknown as { bare: object }).bare), Object.prototype);
  });

  it('keeps a "__proto__" key as an own key, as JSON.parse makes it', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "items": [{"__proto__": 1}]}') as Record<string, unknown>;
    const copy = deepClone(parsed);
    assert.deepEqual(Object.keys(copy), ['__proto__', 'items']);
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(JSON.stringify(copy), JSON.stringify(parsed));
  });

  it('refuses a BigInt as JSON.stringify does', () => {
    assert.throws(() => deepClone({ n: 1n }), TypeError);
  });
});
