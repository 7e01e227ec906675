import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedParts } from '../../src/controllers/runtime/shared-parts.js';

const pod = (name: string, ip: string) => ({
  metadata: {
    name,
    labels: { app: 'a' },
    managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': { 'f:containers': {}, 'f:tolerations': {} } } }],
  },
  spec: { tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }], nodeName: name },
  status: { podIPs: [{ ip }], ready: true, restarts: 0, note: null },
});

test('equal parts of different objects become one value; the objects keep their exact content and key order', () => {
  const parts = new SharedParts();
  const a = parts.share(pod('a', '10.0.0.1'));
  const b = parts.share(pod('b', '10.0.0.2'));
  assert.equal(a.spec.tolerations, b.spec.tolerations);
  assert.equal(a.metadata.labels, b.metadata.labels);
  assert.equal(a.metadata.managedFields, b.metadata.managedFields);
  assert.notEqual(a.spec, b.spec, 'the specs differ (nodeName)');
  assert.notEqual(a.status.podIPs, b.status.podIPs);
  assert.equal(JSON.stringify(a), JSON.stringify(pod('a', '10.0.0.1')));
  assert.equal(JSON.stringify(b), JSON.stringify(pod('b', '10.0.0.2')));
});

test('parts that differ only in key order, type or an inner value stay apart', () => {
  const parts = new SharedParts();
  const x = parts.share({ p: { a: 1, b: 2 }, q: { n: '1' }, r: [1, [2]], s: { v: null }, t: {}, u: [] });
  const y = parts.share({ p: { b: 2, a: 1 }, q: { n: 1 }, r: [1, [3]], s: { v: false }, t: [], u: {} });
  assert.notEqual(x.p, y.p);
  assert.notEqual(x.q, y.q);
  assert.notEqual(x.r, y.r);
  assert.equal(x.r[0], y.r[0]);
  assert.notEqual(x.s, y.s);
  assert.notEqual(x.t, y.t);
  assert.notEqual(x.u, y.u);
  assert.deepEqual(y, { p: { b: 2, a: 1 }, q: { n: 1 }, r: [1, [3]], s: { v: false }, t: [], u: {} });
  assert.deepEqual(Object.keys(y.p), ['b', 'a']);
});

test('the table forgets parts after two generations, and keeps sharing a part still met', () => {
  const parts = new SharedParts(4);
  const first = parts.share({ v: { keep: { k: 1 }, gone: { g: 1 } } });
  for (let i = 0; i < 20; i++) {
    parts.share({ v: { filler: { i } } });
    if (i % 2 === 0) assert.equal(parts.share({ v: { keep: { k: 1 } } }).v.keep, first.v.keep, 'a part met again stays shared');
  }
  assert.ok(parts.size() <= 8, `at most two generations of 4 parts (${parts.size()})`);
  assert.notEqual(parts.share({ v: { gone: { g: 1 } } }).v.gone, first.v.gone, 'a part not met for two generations is forgotten');
});

test("a new object's own values are not remembered in the table, the parts inside them are", () => {
  const parts = new SharedParts();
  const object = (name: string) => ({ metadata: { name, labels: { app: 'x' } }, spec: { node: name, tolerations: [{ key: 'k' }] } });
  const a = parts.share(object('a'));
  // labels, tolerations and its one item; not metadata or spec (each names its object).
  assert.equal(parts.size(), 3);
  const b = parts.share(object('b'));
  assert.equal(b.metadata.labels, a.metadata.labels);
  assert.equal(b.spec.tolerations, a.spec.tolerations);
  assert.equal(parts.size(), 3, "b's own values were not added either");
  const again = parts.share(object('a'));
  assert.notEqual(again.metadata, a.metadata, 'an equal own value of another object is not found in the table');
  assert.equal(parts.shareLike(object('a'), a).metadata, a.metadata, "the similar object's equal value is taken");
  assert.equal(JSON.stringify(again), JSON.stringify(object('a')));
});

test('every empty map is one value; empty lists and maps with keys stay apart from it', () => {
  const parts = new SharedParts();
  const a = parts.share({ f: { x: {}, y: {} }, l: [], m: { k: {} } });
  const b = parts.share({ g: { z: {} }, l: [], m: { k: { n: {} } } });
  assert.equal(a.f.x, a.f.y);
  assert.equal(a.f.x, b.g.z);
  assert.equal(a.f.x, b.m.k.n);
  assert.notEqual(a.l, a.f.x);
  assert.notEqual(a.m.k, b.m.k);
  assert.equal(JSON.stringify(b), '{"g":{"z":{}},"l":[],"m":{"k":{"n":{}}}}');
});

test("an update keeps the parts it took from the previous version, and takes the previous version's or the last update's for equal ones", () => {
  const parts = new SharedParts();
  const a0 = parts.share(pod('a', '10.0.0.1'));
  const a1 = parts.shareAlike(
    { ...a0, metadata: { ...a0.metadata, resourceVersion: '2' }, status: { ...pod('a', '10.0.0.1').status, ready: false } },
    a0,
  );
  const b0 = parts.share(pod('b', '10.0.0.2'));
  const fresh = pod('b', '10.0.0.1');
  const b1 = { ...b0, metadata: { ...b0.metadata, resourceVersion: '2', labels: { app: 'a' } }, status: { ...fresh.status, ready: false } };
  const expected = JSON.stringify(b1);
  assert.equal(parts.shareAlike(b1, b0, a1), b1, 'changed in place');
  assert.equal(b1.spec, b0.spec, 'the spec the update kept is the previous one');
  assert.equal(b1.metadata.managedFields, b0.metadata.managedFields);
  assert.equal(b1.metadata.labels, b0.metadata.labels, "a changed part equal to the previous version's becomes it");
  assert.equal(b1.status.podIPs, a1.status.podIPs, "a changed part equal to the last update's becomes it");
  assert.equal(b1.status, a1.status, 'so does a whole status');
  assert.notEqual(b1.metadata, a1.metadata, 'the metadata differ (name)');
  assert.equal(JSON.stringify(b1), expected, 'content and key order exact');
});

test("an update's part in another key order, type, length or value than its neighbours' stays its own", () => {
  const parts = new SharedParts();
  const previous = parts.share({ p: { a: 1, b: 2 }, q: { n: '1' }, r: [1, [2]], s: { v: null }, t: [{ x: 1 }], u: { k: 1 } });
  const last = parts.share({ p: { a: 1 }, q: [1], r: [1, [2], 3], s: { v: false }, t: { x: 1 }, u: [1] });
  const next = parts.shareAlike(
    { p: { b: 2, a: 1 }, q: { n: 1 }, r: [1, [3]], s: { v: undefined }, t: [{ x: 1 }, { y: 2 }], u: { k: 1, j: 2 } },
    previous,
    last,
  );
  for (const key of ['p', 'q', 'r', 's', 't', 'u'] as const) {
    assert.notEqual(next[key], previous[key], key);
    assert.notEqual(next[key], last[key], key);
  }
  assert.equal(next.t[0], previous.t[0], 'an equal item at the same place is still taken');
  assert.deepEqual(Object.keys(next.p), ['b', 'a']);
  assert.equal(next.q.n, 1);
  assert.deepEqual(next.r, [1, [3]]);
  assert.ok('v' in next.s && next.s.v === undefined);
  assert.deepEqual(next.u, { k: 1, j: 2 });
});

test('equal strings of different objects become one string', () => {
  const parts = new SharedParts();
  const built = (n: number) => ['docker.io/library/', 'nginx', `:1.${n}`].join('');
  const a = parts.share({ spec: { image: built(27), name: 'a' }, list: [built(27)] });
  const b = parts.share({ spec: { image: built(27), name: 'b' }, list: [built(27), 'x'] });
  assert.equal(b.spec.image, 'docker.io/library/nginx:1.27');
  assert.equal(
    JSON.stringify(b),
    '{"spec":{"image":"docker.io/library/nginx:1.27","name":"b"},"list":["docker.io/library/nginx:1.27","x"]}',
  );
  assert.equal(JSON.stringify(a), '{"spec":{"image":"docker.io/library/nginx:1.27","name":"a"},"list":["docker.io/library/nginx:1.27"]}');
});

test("a new object shared like a similar one takes that one's equal parts, and shares the others as usual", () => {
  const parts = new SharedParts();
  const first = parts.share(pod('a', '10.0.0.1'));
  const other = parts.share({ elsewhere: { podIPs: [{ ip: '10.0.0.9' }] } });
  const second = pod('b', '10.0.0.9');
  const shared = parts.shareLike(second, first);
  assert.equal(shared, second, 'changed in place');
  assert.equal(shared.spec.tolerations, first.spec.tolerations, "equal at the same place: the similar object's part");
  assert.equal(shared.metadata.labels, first.metadata.labels);
  assert.equal(shared.metadata.managedFields, first.metadata.managedFields);
  assert.notEqual(shared.spec, first.spec, 'different (nodeName): its own');
  assert.equal(shared.status.podIPs, other.elsewhere.podIPs, 'equal to a part elsewhere: shared through the table');
  assert.equal(JSON.stringify(shared), JSON.stringify(pod('b', '10.0.0.9')), 'content and key order exact');
});

test("a part like the similar object's but in another key order, type or value is not taken for it", () => {
  const parts = new SharedParts();
  const like = parts.share({ p: { a: 1, b: 2 }, q: { n: '1' }, r: [1, [2]], s: { v: null } });
  const next = parts.shareLike({ p: { b: 2, a: 1 }, q: { n: 1 }, r: [1, [3]], s: { v: undefined } }, like);
  assert.notEqual(next.p, like.p);
  assert.deepEqual(Object.keys(next.p), ['b', 'a']);
  assert.notEqual(next.q, like.q);
  assert.equal(next.q.n, 1);
  assert.notEqual(next.r, like.r);
  assert.deepEqual(next.r, [1, [3]]);
  assert.notEqual(next.s, like.s);
  assert.ok('v' in next.s && next.s.v === undefined);
});
