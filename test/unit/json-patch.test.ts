import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, JsonPatchError, parsePointer, type JsonPatchOperation } from '../../src/apimachinery/json-patch.js';

const doc = () => ({
  metadata: { name: 'p', labels: { app: 'web', 'a/b': 'x', 'c~d': 'y' } },
  spec: {
    containers: [
      { name: 'a', image: 'a:1' },
      { name: 'b', image: 'b:1' },
    ],
  },
});

interface Case {
  name: string;
  ops: JsonPatchOperation[];
  want?: (d: ReturnType<typeof doc>) => unknown;
  error?: string;
}

const cases: Case[] = [
  {
    name: 'add a map key',
    ops: [{ op: 'add', path: '/metadata/labels/tier', value: 'fe' }],
    want: (d) => ((d.metadata.labels as Record<string, string>).tier = 'fe'),
  },
  { name: 'add replaces an existing key', ops: [{ op: 'add', path: '/metadata/name', value: 'q' }], want: (d) => (d.metadata.name = 'q') },
  {
    name: 'add inserts into a list',
    ops: [{ op: 'add', path: '/spec/containers/1', value: { name: 'x' } }],
    want: (d) => d.spec.containers.splice(1, 0, { name: 'x', image: undefined as never }),
  },
  {
    name: 'add with - appends',
    ops: [{ op: 'add', path: '/spec/containers/-', value: { name: 'z' } }],
    want: (d) => d.spec.containers.push({ name: 'z' } as never),
  },
  {
    name: 'add at the list end index appends',
    ops: [{ op: 'add', path: '/spec/containers/2', value: { name: 'z' } }],
    want: (d) => d.spec.containers.push({ name: 'z' } as never),
  },
  {
    name: 'negative indices count from the end',
    ops: [{ op: 'replace', path: '/spec/containers/-1/image', value: 'b:2' }],
    want: (d) => (d.spec.containers[1].image = 'b:2'),
  },
  {
    name: 'escaped pointer tokens',
    ops: [
      { op: 'remove', path: '/metadata/labels/a~1b' },
      { op: 'remove', path: '/metadata/labels/c~0d' },
    ],
    want: (d) => {
      delete (d.metadata.labels as Record<string, string>)['a/b'];
      delete (d.metadata.labels as Record<string, string>)['c~d'];
    },
  },
  {
    name: 'add without a value adds null, as evanphx/json-patch v4',
    ops: [{ op: 'add', path: '/metadata/labels/x' }],
    want: (d) => ((d.metadata.labels as Record<string, unknown>).x = null),
  },
  { name: 'remove a list item', ops: [{ op: 'remove', path: '/spec/containers/0' }], want: (d) => d.spec.containers.shift() },
  {
    name: 'replace',
    ops: [{ op: 'replace', path: '/spec/containers/0/image', value: 'a:2' }],
    want: (d) => (d.spec.containers[0].image = 'a:2'),
  },
  {
    name: 'move',
    ops: [{ op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/role' }],
    want: (d) => {
      const l = d.metadata.labels as Record<string, string>;
      l.role = l.app!;
      delete l.app;
    },
  },
  {
    name: 'copy',
    ops: [{ op: 'copy', from: '/spec/containers/0', path: '/spec/containers/-' }],
    want: (d) => d.spec.containers.push({ name: 'a', image: 'a:1' }),
  },
  {
    name: 'test that holds',
    ops: [
      { op: 'test', path: '/metadata/name', value: 'p' },
      { op: 'replace', path: '/metadata/name', value: 'q' },
    ],
    want: (d) => (d.metadata.name = 'q'),
  },
  {
    name: 'test compares structures',
    ops: [{ op: 'test', path: '/spec/containers/1', value: { image: 'b:1', name: 'b' } }],
    want: () => undefined,
  },
  {
    name: 'test of a missing key against null holds',
    ops: [{ op: 'test', path: '/metadata/namespace', value: null }],
    want: () => undefined,
  },
  {
    name: 'a failed test',
    ops: [{ op: 'test', path: '/metadata/name', value: 'nope' }],
    error: 'testing value /metadata/name failed: test failed',
  },
  {
    name: 'test under a missing parent',
    ops: [{ op: 'test', path: '/status/phase', value: 'x' }],
    error: 'test operation for path /status/phase failed, not found',
  },
  {
    name: 'remove of a missing key',
    ops: [{ op: 'remove', path: '/metadata/labels/nope' }],
    error: 'Unable to remove nonexistent key: nope: missing value',
  },
  {
    name: 'remove under a missing parent',
    ops: [{ op: 'remove', path: '/status/phase' }],
    error: 'remove operation does not apply: doc is missing path: "/status/phase"',
  },
  {
    name: 'replace of a missing key',
    ops: [{ op: 'replace', path: '/metadata/namespace', value: 'x' }],
    error: 'replace operation does not apply: doc is missing key: /metadata/namespace: missing value',
  },
  {
    name: 'add under a missing parent',
    ops: [{ op: 'add', path: '/status/phase', value: 'x' }],
    error: 'add operation does not apply: doc is missing path: "/status/phase"',
  },
  {
    name: 'an index out of range',
    ops: [{ op: 'replace', path: '/spec/containers/5', value: {} }],
    error: 'Unable to access invalid index: 5',
  },
  { name: 'a non-numeric index', ops: [{ op: 'remove', path: '/spec/containers/x' }], error: 'Unable to access invalid index: x' },
  {
    name: 'copy from a missing path',
    ops: [{ op: 'copy', from: '/nope', path: '/x' }],
    error: 'copy operation does not apply: doc is missing from path: /nope',
  },
  { name: 'an unknown op', ops: [{ op: 'frobnicate', path: '/x' }], error: 'Unexpected kind: frobnicate' },
  { name: 'a missing op', ops: [{ path: '/x' }], error: 'Unexpected kind: unknown' },
  { name: 'a missing path', ops: [{ op: 'remove' }], error: 'operation missing path field' },
  {
    name: 'a failure undoes nothing but stops the patch',
    ops: [
      { op: 'replace', path: '/metadata/name', value: 'q' },
      { op: 'test', path: '/metadata/name', value: 'p' },
    ],
    error: 'testing value /metadata/name failed: test failed',
  },
];

describe('applyJsonPatch', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const input = doc();
      if (tc.error) {
        assert.throws(
          () => applyJsonPatch(input, tc.ops),
          (e: unknown) => e instanceof JsonPatchError && e.message === tc.error,
        );
      } else {
        const want = JSON.parse(JSON.stringify(doc())) as ReturnType<typeof doc>;
        tc.want!(want);
        assert.deepEqual(applyJsonPatch(input, tc.ops), JSON.parse(JSON.stringify(want)));
      }
      assert.deepEqual(input, doc(), 'the input document is not modified');
    });
  }

  it('replacing the whole document with an empty path', () => {
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }]), { b: 2 });
  });

  it('parses JSON pointers', () => {
    assert.deepEqual(parsePointer(''), []);
    assert.deepEqual(parsePointer('/a~1b/c~0d/~01'), ['a/b', 'c~d', '~1']);
    assert.throws(() => parsePointer('a'), JsonPatchError);
  });
});

describe('copy size limit (JSONPatchMaxCopyBytes)', () => {
  const doubling = (copies: number): JsonPatchOperation[] => [
    { op: 'add', path: '/junk', value: ['a'.repeat(100)] },
    ...Array.from({ length: copies }, () => ({ op: 'copy', from: '/junk', path: '/junk/-' })),
  ];
  it('copies up to 3 MiB in one patch', () => {
    const out = applyJsonPatch({}, doubling(10)) as { junk: unknown[] };
    assert.equal(out.junk.length, 11, 'each copy appends the whole list, which doubles its size');
  });
  it('stops a patch whose copies keep doubling a value, before it is built', () => {
    assert.throws(
      () => applyJsonPatch({}, doubling(40)),
      (e: unknown) =>
        e instanceof JsonPatchError &&
        /^Unable to complete the copy, the accumulated size increase of copy is \d+, exceeding the limit 3145728$/.test(e.message),
    );
  });
});
