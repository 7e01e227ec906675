import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { strategicMergePatch } from '../../src/apimachinery/strategic-merge-patch.js';
import { normalizeSliceOrder } from '../../src/apimachinery/smp-lists.js';
import { PatchError, type PatchErrorKind } from '../../src/apimachinery/patch-error.js';
import { patchMetaFromSchema, type PatchMetaLookup } from '../../src/apimachinery/schema-walk.js';
import { schemaFor } from '../../src/resources/schemas.js';

type J = Record<string, unknown>;

const META: Record<string, PatchMetaLookup> = {
  pod: patchMetaFromSchema(schemaFor('v1', 'Pod')!),
  ds: patchMetaFromSchema(schemaFor('apps/v1', 'DaemonSet')!),
  node: patchMetaFromSchema(schemaFor('v1', 'Node')!),
};

/** A lookup from a table of dotted paths, for engine cases that need no real kind. */
function fakeMeta(table: Record<string, { strategies?: string[]; mergeKey?: string; known?: boolean; parent?: string }>): PatchMetaLookup {
  return (path) => table[path.join('.')] ?? {};
}

interface Case {
  name: string;
  meta: PatchMetaLookup;
  original: J;
  patch: J;
  want?: J;
  error?: { kind: PatchErrorKind; message: string | RegExp };
}

const c = (name: string, meta: PatchMetaLookup, original: J, patch: J, want: J): Case => ({ name, meta, original, patch, want });
const fails = (name: string, meta: PatchMetaLookup, original: J, patch: J, kind: PatchErrorKind, message: string | RegExp): Case => ({
  name,
  meta,
  original,
  patch,
  error: { kind, message },
});

const podSpec = (spec: J): J => ({ spec });
const containers = (...list: J[]): J => podSpec({ containers: list });
const template = (spec: J): J => ({ spec: { template: { spec } } });

const cases: Case[] = [
  // Maps and scalars.
  c(
    'maps merge recursively',
    META.pod,
    { metadata: { labels: { a: '1' } } },
    { metadata: { labels: { b: '2' } } },
    { metadata: { labels: { a: '1', b: '2' } } },
  ),
  c(
    'null deletes a field',
    META.pod,
    { metadata: { labels: { a: '1', b: '2' } } },
    { metadata: { labels: { a: null } } },
    { metadata: { labels: { b: '2' } } },
  ),
  c('null for a missing field is ignored', META.pod, { metadata: {} }, { metadata: { labels: null } }, { metadata: {} }),
  c(
    'scalars are replaced',
    META.pod,
    podSpec({ restartPolicy: 'Always' }),
    podSpec({ restartPolicy: 'Never' }),
    podSpec({ restartPolicy: 'Never' }),
  ),
  c('a new subtree is taken as is', META.pod, { metadata: {} }, { metadata: { labels: { a: '1' } } }, { metadata: { labels: { a: '1' } } }),
  c(
    'a value of another type replaces',
    META.pod,
    { metadata: { labels: { a: '1' } } },
    { metadata: { labels: 'x' } },
    { metadata: { labels: 'x' } },
  ),
  // kubectl label / annotate / rollout restart / cordon / uncordon / taint.
  c(
    'kubectl label',
    META.pod,
    { metadata: { name: 'p', labels: { app: 'web' } } },
    { metadata: { labels: { tier: 'frontend' } } },
    {
      metadata: { name: 'p', labels: { app: 'web', tier: 'frontend' } },
    },
  ),
  c(
    'kubectl label tier-',
    META.pod,
    { metadata: { labels: { app: 'web', tier: 'x' } } },
    { metadata: { labels: { tier: null } } },
    { metadata: { labels: { app: 'web' } } },
  ),
  c(
    'kubectl rollout restart',
    META.ds,
    { spec: { template: { metadata: { labels: { app: 'f' } }, spec: { containers: [{ name: 'f', image: 'f:1' }] } } } },
    { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T17:18:38Z' } } } } },
    {
      spec: {
        template: {
          metadata: { labels: { app: 'f' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-25T17:18:38Z' } },
          spec: { containers: [{ name: 'f', image: 'f:1' }] },
        },
      },
    },
  ),
  c(
    'kubectl cordon',
    META.node,
    { spec: { podCIDR: '10.0.0.0/24' } },
    { spec: { unschedulable: true } },
    { spec: { podCIDR: '10.0.0.0/24', unschedulable: true } },
  ),
  c('kubectl uncordon', META.node, { spec: { unschedulable: true } }, { spec: { unschedulable: null } }, { spec: {} }),
  c(
    'kubectl taint sends the whole (atomic) list',
    META.node,
    { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } },
    { spec: { taints: [{ key: 'b', value: 'x', effect: 'NoExecute' }] } },
    { spec: { taints: [{ key: 'b', value: 'x', effect: 'NoExecute' }] } },
  ),
  c(
    'removing the last taint',
    META.node,
    { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } },
    { spec: { taints: null } },
    { spec: {} },
  ),
  // Lists merged by key.
  c(
    'kubectl set image: containers merge by name',
    META.ds,
    template({
      containers: [
        { name: 'a', image: 'a:1', args: ['x'] },
        { name: 'b', image: 'b:1' },
      ],
    }),
    template({ containers: [{ name: 'b', image: 'b:2' }] }),
    template({
      containers: [
        { name: 'a', image: 'a:1', args: ['x'] },
        { name: 'b', image: 'b:2' },
      ],
    }),
  ),
  c(
    'a new list item goes before the server-only ones (upstream order rule)',
    META.pod,
    containers({ name: 'a', image: 'a' }),
    containers({ name: 'b', image: 'b' }),
    containers({ name: 'b', image: 'b' }, { name: 'a', image: 'a' }),
  ),
  c(
    'ports merge by containerPort',
    META.pod,
    containers({ name: 'a', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }),
    containers({ name: 'a', ports: [{ containerPort: 80, name: 'web' }] }),
    containers({ name: 'a', ports: [{ containerPort: 80, name: 'web' }, { containerPort: 443 }] }),
  ),
  c(
    'env merges by name, null deletes inside an item',
    META.pod,
    containers({
      name: 'a',
      env: [
        { name: 'X', value: '1' },
        { name: 'Y', value: '2' },
      ],
    }),
    containers({ name: 'a', env: [{ name: 'Y', value: null, valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] }),
    containers({
      name: 'a',
      env: [
        { name: 'X', value: '1' },
        { name: 'Y', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      ],
    }),
  ),
  c(
    'volumeMounts merge by mountPath',
    META.pod,
    containers({ name: 'a', volumeMounts: [{ name: 'v', mountPath: '/data' }] }),
    containers({ name: 'a', volumeMounts: [{ mountPath: '/data', readOnly: true }] }),
    containers({ name: 'a', volumeMounts: [{ name: 'v', mountPath: '/data', readOnly: true }] }),
  ),
  c(
    'tolerations are atomic (replaced)',
    META.pod,
    podSpec({ tolerations: [{ key: 'a', operator: 'Exists' }] }),
    podSpec({ tolerations: [{ key: 'b', operator: 'Exists' }] }),
    podSpec({ tolerations: [{ key: 'b', operator: 'Exists' }] }),
  ),
  c(
    'args are atomic (replaced)',
    META.pod,
    containers({ name: 'a', args: ['1', '2'] }),
    containers({ name: 'a', args: ['3'] }),
    containers({ name: 'a', args: ['3'] }),
  ),
  c(
    'ownerReferences merge by uid',
    META.pod,
    { metadata: { ownerReferences: [{ uid: 'u1', kind: 'DaemonSet', name: 'd', apiVersion: 'apps/v1' }] } },
    {
      metadata: {
        ownerReferences: [
          { uid: 'u1', controller: true },
          { uid: 'u2', kind: 'Node', name: 'n', apiVersion: 'v1' },
        ],
      },
    },
    {
      metadata: {
        ownerReferences: [
          { uid: 'u1', kind: 'DaemonSet', name: 'd', apiVersion: 'apps/v1', controller: true },
          { uid: 'u2', kind: 'Node', name: 'n', apiVersion: 'v1' },
        ],
      },
    },
  ),
  c(
    'status conditions merge by type',
    META.pod,
    {
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'PodScheduled', status: 'True' },
        ],
      },
    },
    { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    {
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'PodScheduled', status: 'True' },
        ],
      },
    },
  ),
  c(
    'finalizers merge as a set',
    META.pod,
    { metadata: { finalizers: ['a', 'b'] } },
    { metadata: { finalizers: ['b', 'c'] } },
    { metadata: { finalizers: ['a', 'b', 'c'] } },
  ),
  c(
    'a new finalizer goes first',
    META.pod,
    { metadata: { finalizers: ['a', 'b'] } },
    { metadata: { finalizers: ['c'] } },
    { metadata: { finalizers: ['c', 'a', 'b'] } },
  ),
  // Directives.
  c(
    '$patch: delete removes a list item by merge key',
    META.pod,
    containers({ name: 'a' }, { name: 'b' }),
    containers({ name: 'a', $patch: 'delete' }),
    containers({ name: 'b' }),
  ),
  c(
    '$patch: delete removes every item with each deleted key, the rest keep their order',
    fakeMeta({ items: { strategies: ['merge'], mergeKey: 'k' } }),
    { items: [{ k: 1 }, { k: 2 }, { k: 1, v: 'again' }, { k: 3 }, { k: 4 }] },
    {
      items: [
        { k: 1, $patch: 'delete' },
        { k: 4, $patch: 'delete' },
        { k: 9, $patch: 'delete' },
      ],
    },
    { items: [{ k: 2 }, { k: 3 }] },
  ),
  c(
    '$patch: replace in a list replaces it',
    META.pod,
    containers({ name: 'a', image: 'a' }, { name: 'b' }),
    containers({ $patch: 'replace' }, { name: 'c', image: 'c' }),
    containers({ name: 'c', image: 'c' }),
  ),
  c(
    '$patch: replace in a map replaces the map',
    META.pod,
    { metadata: { labels: { a: '1', b: '2' } } },
    { metadata: { labels: { $patch: 'replace', c: '3' } } },
    { metadata: { labels: { c: '3' } } },
  ),
  c(
    '$patch: delete in a map empties it',
    META.pod,
    { metadata: { labels: { a: '1' } } },
    { metadata: { labels: { $patch: 'delete' } } },
    { metadata: { labels: {} } },
  ),
  c(
    '$patch: replace at the top replaces the object',
    META.pod,
    { metadata: { name: 'x' }, spec: {} },
    { $patch: 'replace', metadata: { name: 'y' } },
    { metadata: { name: 'y' } },
  ),
  c(
    '$deleteFromPrimitiveList removes scalars',
    META.pod,
    { metadata: { finalizers: ['a', 'b', 'c'] } },
    { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    { metadata: { finalizers: ['a', 'c'] } },
  ),
  c(
    // mergeMap with MergeParallelList (the apiserver's options): a deletion list whose list is absent is skipped.
    '$deleteFromPrimitiveList on a missing list changes nothing',
    META.pod,
    { metadata: {} },
    { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    { metadata: {} },
  ),
  c(
    '$setElementOrder orders merged items',
    META.pod,
    containers({ name: 'a' }, { name: 'b' }, { name: 'c' }),
    podSpec({ '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }], containers: [{ name: 'a', image: 'x' }] }),
    containers({ name: 'c' }, { name: 'a', image: 'x' }, { name: 'b' }),
  ),
  c(
    '$setElementOrder without the list reorders the live list',
    META.pod,
    containers({ name: 'a' }, { name: 'b' }),
    podSpec({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] }),
    containers({ name: 'b' }, { name: 'a' }),
  ),
  c(
    '$setElementOrder of a primitive list',
    META.pod,
    { metadata: { finalizers: ['a', 'b'] } },
    { metadata: { '$setElementOrder/finalizers': ['c', 'b', 'a'], finalizers: ['c'] } },
    { metadata: { finalizers: ['c', 'b', 'a'] } },
  ),
  c(
    '$retainKeys clears fields not listed (volume source switch)',
    META.pod,
    podSpec({ volumes: [{ name: 'v', emptyDir: {} }] }),
    podSpec({ volumes: [{ name: 'v', $retainKeys: ['hostPath', 'name'], hostPath: { path: '/x' } }] }),
    podSpec({ volumes: [{ name: 'v', hostPath: { path: '/x' } }] }),
  ),
  // What kubectl apply sends (spec §5).
  c(
    "kubectl apply's patch",
    META.ds,
    {
      metadata: { name: 'logger', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":1}\n' } },
      spec: {
        template: { spec: { containers: [{ name: 'logger', image: 'busybox:1.36', terminationMessagePath: '/dev/termination-log' }] } },
      },
    },
    {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":1}\n' } },
      spec: {
        template: {
          spec: { '$setElementOrder/containers': [{ name: 'logger' }], containers: [{ image: 'busybox:1.37', name: 'logger' }] },
        },
      },
    },
    {
      metadata: { name: 'logger', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":1}\n' } },
      spec: {
        template: { spec: { containers: [{ name: 'logger', image: 'busybox:1.37', terminationMessagePath: '/dev/termination-log' }] } },
      },
    },
  ),
  c(
    'kubectl edit removing one of two containers',
    META.ds,
    template({ containers: [{ name: 'a' }, { name: 'b' }] }),
    template({ '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b', $patch: 'delete' }] }),
    template({ containers: [{ name: 'a' }] }),
  ),
  // Errors, with upstream's texts and classes.
  fails(
    'an item without its merge key',
    META.pod,
    containers({ name: 'a' }),
    containers({ image: 'x' }),
    'Internal',
    'map: map[image:x] does not contain declared merge key: name',
  ),
  fails(
    '$patch: merge in a map',
    META.pod,
    { metadata: { labels: {} } },
    { metadata: { labels: { $patch: 'merge' } } },
    'Internal',
    'unknown patch type: merge in map: map[$patch:merge]',
  ),
  fails(
    '$patch: merge in a list',
    META.pod,
    containers({ name: 'a' }),
    containers({ name: 'a', $patch: 'merge' }),
    'Internal',
    'merging lists cannot yet be specified in the patch',
  ),
  fails(
    'an unknown $patch in a list',
    META.pod,
    containers({ name: 'a' }),
    containers({ name: 'a', $patch: 'bogus' }),
    'Internal',
    'unknown patch type: bogus in map: map[$patch:bogus name:a]',
  ),
  fails(
    '$retainKeys must be a list',
    META.pod,
    podSpec({}),
    podSpec({ $retainKeys: 'x' }),
    'BadRequest',
    'invalid patch format of retainKeys',
  ),
  fails(
    'patched fields must be retained',
    META.pod,
    podSpec({}),
    podSpec({ $retainKeys: ['a'], b: 1 }),
    'Unprocessable',
    "patch content doesn't match retainKeys list",
  ),
  fails(
    'a $setElementOrder key without a list name',
    META.pod,
    podSpec({}),
    podSpec({ $setElementOrder: [] }),
    'BadRequest',
    'invalid patch format of setElementOrder list',
  ),
  fails(
    'a $deleteFromPrimitiveList key without a list name',
    META.pod,
    { metadata: {} },
    { metadata: { $deleteFromPrimitiveList: ['a'] } },
    'BadRequest',
    'invalid patch format of primitive list',
  ),
  fails(
    'lists of lists',
    META.pod,
    { metadata: { finalizers: [['a']] } },
    { metadata: { finalizers: [['b']] } },
    'Unprocessable',
    'lists of lists are not supported',
  ),
  fails(
    'a patch list out of $setElementOrder',
    META.pod,
    containers({ name: 'a' }),
    podSpec({ '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b' }] }),
    'Internal',
    /^The order in patch list:\n\[map\[name:b\]\]\n doesn't match \$setElementOrder list:/,
  ),
  fails(
    'a field the struct does not have, in both documents',
    fakeMeta({ spec: { strategies: [] }, 'spec.foo': { known: false, parent: 'PodSpec' } }),
    { spec: { foo: { a: 1 } } },
    { spec: { foo: { b: 2 } } },
    'Internal',
    'unable to find api field in struct PodSpec for the json field "foo"',
  ),
  fails(
    'a merge list of objects without a merge key',
    fakeMeta({ items: { strategies: ['merge'] } }),
    { items: [{ a: 1 }] },
    { items: [{ a: 2 }] },
    'Internal',
    'cannot merge lists without merge key for type struct',
  ),
];

describe('strategicMergePatch', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const run = () => strategicMergePatch(structuredClone(tc.original), structuredClone(tc.patch), tc.meta);
      if (tc.error) {
        assert.throws(run, (e: unknown) => {
          assert.ok(e instanceof PatchError, `expected a PatchError, got ${String(e)}`);
          assert.equal(e.kind, tc.error!.kind);
          if (typeof tc.error!.message === 'string') assert.equal(e.message, tc.error!.message);
          else assert.match(e.message, tc.error!.message);
          return true;
        });
      } else {
        assert.deepEqual(run(), tc.want);
      }
    });
  }

  it('consumes directives from the patch as upstream does', () => {
    const patch: J = podSpec({
      '$setElementOrder/containers': [{ name: 'a' }],
      containers: [{ name: 'a', image: 'x' }],
      $retainKeys: ['containers'],
    });
    strategicMergePatch(containers({ name: 'a' }), patch, META.pod);
    assert.deepEqual(patch, { spec: {} });
  });

  it('keeps directives inside a subtree the original lacks (upstream takes it as is)', () => {
    const got = strategicMergePatch({ spec: {} }, podSpec({ containers: [{ name: 'a', $patch: 'delete' }] }), META.pod);
    assert.deepEqual(got, podSpec({ containers: [{ name: 'a', $patch: 'delete' }] }));
  });
});

describe("normalizeSliceOrder: Go's stable sort (blocks of 20, then symMerge) past 20 elements", () => {
  /** A deterministic shuffle (mulberry32). */
  const shuffled = <T>(list: T[], seed: number): T[] => {
    let a = seed;
    const next = () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const out = list.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  it('sorts by the order list, keeping equal keys in their order, for every length', () => {
    for (const n of [21, 40, 41, 100, 333, 1000]) {
      const names = Array.from({ length: n }, (_, i) => `k${i % Math.ceil(n / 2)}`);
      const items = names.map((name, i) => ({ name, i }));
      const order = shuffled(
        [...new Set(names)].map((name) => ({ name })),
        n,
      );
      const rank = new Map(order.map((o, i) => [o.name, i]));
      const input = shuffled(items, n + 1);
      // Array.prototype.sort is stable: equal keys keep their input order, as Go's SliceStable keeps it.
      const want = input.slice().sort((a, b) => rank.get(a.name)! - rank.get(b.name)!);
      assert.deepEqual(normalizeSliceOrder(input, order, 'name', 'map'), want, `n=${n}`);
    }
  });
});
