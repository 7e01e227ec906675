import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet } from '../../src/apimachinery/managed-fields/field-set.js';
import { decodeFieldsV1, encodeFieldsV1, encodingHash } from '../../src/apimachinery/managed-fields/fields-v1.js';
import { keyElement, pathString, valueElement } from '../../src/apimachinery/managed-fields/path-element.js';
import { compare, merge, toFieldSet } from '../../src/apimachinery/managed-fields/typed-value.js';
import { decodeManagers, encodeManagers, managerIdentifier, type Managers } from '../../src/apimachinery/managed-fields/managers.js';
import { recordApply, recordUpdate, type WriteContext } from '../../src/apimachinery/managed-fields/updater.js';
import { StatusError } from '../../src/apimachinery/status.js';
import { schemaFor } from '../../src/resources/schemas.js';

const DS = schemaFor('apps/v1', 'DaemonSet')!;
const POD = schemaFor('v1', 'Pod')!;
const CM = schemaFor('v1', 'ConfigMap')!;

/** The encoding as the bytes kube-apiserver writes. */
const json = (s: FieldSet) => JSON.stringify(encodeFieldsV1(s));

describe('FieldsV1 encoding', () => {
  it('orders fields, then keys (by key fields, numbers numerically), then set values, then indexes', () => {
    const s = FieldSet.of(
      ['i:2'],
      ['v:true'],
      [valueElement('b')],
      [valueElement(7)],
      [keyElement({ protocol: 'TCP', port: 8080 })],
      [keyElement({ port: 443, protocol: 'UDP' })],
      [keyElement({ port: 443, protocol: 'TCP' })],
      ['f:zeta'],
      ['f:Zeta'],
      ['f:alpha'],
    );
    assert.equal(
      json(s),
      '{"f:Zeta":{},"f:alpha":{},"f:zeta":{},' +
        '"k:{\\"port\\":443,\\"protocol\\":\\"TCP\\"}":{},"k:{\\"port\\":443,\\"protocol\\":\\"UDP\\"}":{},"k:{\\"port\\":8080,\\"protocol\\":\\"TCP\\"}":{},' +
        '"v:7":{},"v:\\"b\\"":{},"v:true":{},"i:2":{}}',
    );
  });

  it('marks an element that is a member and has members below it with "." first', () => {
    const s = FieldSet.of(['f:data'], ['f:data', 'f:b'], ['f:data', 'f:a'], ['f:metadata', 'f:labels', 'f:app']);
    assert.equal(json(s), '{"f:data":{".":{},"f:a":{},"f:b":{}},"f:metadata":{"f:labels":{"f:app":{}}}}');
  });

  it('decodes what it encodes, and keeps non-ASCII keys', () => {
    const text =
      '{"f:spec":{".":{},"f:containers":{"k:{\\"name\\":\\"app-💻\\"}":{".":{},"f:image":{},"f:ports":{".":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}},"f:status":{"f:phase":{}}}';
    const set = decodeFieldsV1(JSON.parse(text));
    assert.ok(set.has(['f:spec']));
    assert.ok(set.has(['f:spec', 'f:containers', keyElement({ name: 'app-💻' })]));
    assert.ok(!set.has(['f:spec', 'f:containers']));
    assert.ok(!set.has(['f:status']));
    assert.equal(json(set), text);
  });

  it('skips keys that are no path element, as upstream', () => {
    const set = decodeFieldsV1({ 'x:odd': {}, 'f:a': { 'y:b': {} } });
    assert.equal(json(set), '{"f:a":{}}');
  });

  it('gives an encoding read in upstream form back as it was, and writes any other in upstream form', () => {
    const inForm = JSON.parse('{"f:data":{".":{},"f:a":{},"f:b":{}},"f:metadata":{"f:labels":{"f:app":{}}}}');
    assert.equal(encodeFieldsV1(decodeFieldsV1(inForm)), inForm, 'the same object');
    for (const text of [
      '{"f:metadata":{"f:labels":{"f:app":{}}},"f:data":{".":{},"f:a":{},"f:b":{}}}', // keys out of order
      '{"f:data":{"f:a":{},".":{},"f:b":{}},"f:metadata":{"f:labels":{"f:app":{}}}}', // "." not first
      '{"f:data":{".":{},"f:a":{},"f:b":{}},"f:metadata":{"f:labels":{"f:app":{},"x:junk":{}}}}', // a key that is no element
      '{"f:data":{".":{},"f:a":{},"f:b":{"x":1}},"f:metadata":{"f:labels":{"f:app":{}}}}', // a leaf that is not {}
    ]) {
      const read = JSON.parse(text);
      const again = encodeFieldsV1(decodeFieldsV1(read));
      assert.notEqual(again, read, text);
      assert.equal(JSON.stringify(again), JSON.stringify(inForm), text);
    }
  });

  it('encodes a changed set anew around the parts it shares with the one read', () => {
    const read = JSON.parse('{"f:metadata":{"f:labels":{"f:app":{}}},"f:status":{"f:phase":{}}}');
    const set = decodeFieldsV1(read).union(FieldSet.of(['f:status', 'f:podIP']));
    const out = encodeFieldsV1(set);
    assert.equal(JSON.stringify(out), '{"f:metadata":{"f:labels":{"f:app":{}}},"f:status":{"f:phase":{},"f:podIP":{}}}');
    assert.equal(out['f:metadata'], read['f:metadata'], 'the unchanged part is the one read');
    assert.equal(
      JSON.stringify(read),
      '{"f:metadata":{"f:labels":{"f:app":{}}},"f:status":{"f:phase":{}}}',
      'what was read is not changed',
    );
  });

  it('gives equal sets built apart (the same fields of two objects) one encoding', () => {
    const fields = () =>
      FieldSet.of(
        ['f:status', 'f:conditions', keyElement({ type: 'Ready' }), 'f:status'],
        ['f:status', 'f:phase'],
        ['f:metadata', 'f:labels', 'f:app'],
      );
    const first = encodeFieldsV1(fields());
    assert.equal(
      JSON.stringify(first),
      '{"f:metadata":{"f:labels":{"f:app":{}}},"f:status":{"f:conditions":{"k:{\\"type\\":\\"Ready\\"}":{"f:status":{}}},"f:phase":{}}}',
    );
    assert.equal(encodeFieldsV1(fields()), first, 'the same object');
    assert.notEqual(encodeFieldsV1(FieldSet.of(['f:status', 'f:phase'])), first);
  });

  it('tells apart sets whose encodings share a hash, and sets alike but for a member mark', () => {
    // Two names whose FNV-1a hashes are equal (a well-known pair): so are their one-member sets'.
    const pair = ['costarring', 'liquid'];
    assert.equal(encodingHash(FieldSet.of([pair[0]])), encodingHash(FieldSet.of([pair[1]])));
    for (let round = 0; round < 2; round++)
      for (const name of pair) assert.deepEqual(encodeFieldsV1(FieldSet.of([name])), { [name]: {} }, `round ${round}`);
    // A member with members below it, and a parent that is none: "." tells them apart.
    const parent = FieldSet.of(['f:spec', 'f:a']);
    const member = FieldSet.of(['f:spec'], ['f:spec', 'f:a']);
    assert.deepEqual(encodeFieldsV1(parent), { 'f:spec': { 'f:a': {} } });
    assert.deepEqual(encodeFieldsV1(member), { 'f:spec': { '.': {}, 'f:a': {} } });
    assert.deepEqual(encodeFieldsV1(FieldSet.of(['f:spec', 'f:a'])), { 'f:spec': { 'f:a': {} } });
  });

  it('keeps the encoding read of every part a union adds nothing to, from either side', () => {
    const read = JSON.parse('{"f:status":{"f:conditions":{"k:{\\"type\\":\\"Ready\\"}":{".":{},"f:status":{},"f:type":{}}},"f:phase":{}}}');
    const owned = decodeFieldsV1(read);
    // A rewrite of fields the manager owns (a condition's status, the phase) plus one new field.
    const changed = FieldSet.of(
      ['f:status', 'f:conditions', keyElement({ type: 'Ready' }), 'f:status'],
      ['f:status', 'f:phase'],
      ['f:status', 'f:podIP'],
    );
    for (const set of [changed.union(owned), owned.union(changed)]) {
      const out = encodeFieldsV1(set) as Record<string, Record<string, unknown>>;
      assert.equal(
        JSON.stringify(out),
        '{"f:status":{"f:conditions":{"k:{\\"type\\":\\"Ready\\"}":{".":{},"f:status":{},"f:type":{}}},"f:phase":{},"f:podIP":{}}}',
      );
      assert.equal(out['f:status']['f:conditions'], read['f:status']['f:conditions'], 'the conditions as read');
    }
    assert.equal(FieldSet.of(['f:status', 'f:phase']).union(owned), owned, 'a subset adds nothing: the set read');
    assert.equal(owned.union(FieldSet.of(['f:status', 'f:phase'])), owned);
  });
});

describe('field paths', () => {
  it('print as upstream prints them in conflict messages', () => {
    assert.equal(
      pathString(['f:spec', 'f:template', 'f:spec', 'f:containers', keyElement({ name: 'c' }), 'f:image']),
      '.spec.template.spec.containers[name="c"].image',
    );
    assert.equal(pathString(['f:metadata', 'f:finalizers', valueElement('x')]), '.metadata.finalizers[=x]'.replace('=x', '="x"'));
    assert.equal(pathString(['f:ports', keyElement({ protocol: 'TCP', containerPort: 80 })]), '.ports[containerPort=80,protocol="TCP"]');
  });
});

describe('the field set of an object', () => {
  it('holds leaves, list items by key, set values, empty maps, and atomic values whole', () => {
    const pod = {
      metadata: { name: 'p', labels: { app: 'web' }, finalizers: ['a/b'] },
      spec: {
        containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} }],
        nodeSelector: { disk: 'ssd' },
      },
    };
    assert.equal(
      json(toFieldSet(pod, POD)),
      JSON.stringify({
        'f:metadata': { 'f:finalizers': { 'v:"a/b"': {} }, 'f:labels': { 'f:app': {} }, 'f:name': {} },
        'f:spec': {
          'f:containers': {
            'k:{"name":"c"}': {
              '.': {},
              'f:image': {},
              'f:name': {},
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
              'f:resources': {},
            },
          },
          'f:nodeSelector': {}, // +mapType=atomic
        },
      }),
    );
  });

  it('keeps an atomic struct (a label selector) as one member', () => {
    const set = toFieldSet({ spec: { selector: { matchLabels: { app: 'a' } } } }, DS);
    assert.equal(json(set), '{"f:spec":{"f:selector":{}}}');
  });
});

describe('comparing two versions', () => {
  it('reports an added map and everything in it, a changed leaf, and a removed one', () => {
    const c = compare({ data: { gone: '1', same: '2' } }, { data: { same: '3' }, binaryData: { b: 'AA==' } }, CM);
    assert.equal(json(c.added), '{"f:binaryData":{".":{},"f:b":{}}}');
    assert.equal(json(c.modified), '{"f:data":{"f:same":{}}}');
    assert.equal(json(c.removed), '{"f:data":{"f:gone":{}}}');
  });
});

describe('merging an applied configuration', () => {
  it('merges map lists by key, keeps live items in place and adds new ones after their neighbours', () => {
    const live = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'a:1' },
              { name: 'b', image: 'b:1', args: ['x'] },
            ],
          },
        },
      },
    };
    const config = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'b', image: 'b:2' },
              { name: 'c', image: 'c:1' },
            ],
          },
        },
      },
    };
    const out = merge(live, config, DS) as typeof live;
    assert.deepEqual(out.spec.template.spec.containers, [
      { name: 'a', image: 'a:1' },
      { name: 'b', image: 'b:2', args: ['x'] },
      { name: 'c', image: 'c:1' },
    ]);
  });

  it('replaces atomic lists whole', () => {
    const out = merge(
      { spec: { template: { spec: { containers: [{ name: 'a', args: ['1', '2'] }] } } } },
      {
        spec: { template: { spec: { containers: [{ name: 'a', args: ['3'] }] } } },
      },
      DS,
    ) as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    assert.deepEqual(out.spec.template.spec.containers[0].args, ['3']);
  });
});

const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}Z`;
const ctx = (manager: string, second = 0, extra: Partial<WriteContext> = {}): WriteContext => ({
  schema: CM,
  manager,
  apiVersion: 'v1',
  reset: new FieldSet(),
  now: at(second),
  ...extra,
});
const cm = (data: Record<string, string>, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'x', ...(labels ? { labels } : {}) },
  data,
});
const entries = (m: Managers) =>
  encodeManagers(m)?.map((e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}=${JSON.stringify(e.fieldsV1)}`);

/** An Update, the managers as they were when it changes nothing. */
const update = (m: Managers, live: unknown, next: unknown, c: WriteContext): Managers => recordUpdate(() => m, live, next, c) ?? m;

describe('ownership', () => {
  it('an Update owns what it added (not the server-owned metadata) and merges into its own entry', () => {
    let m = update(new Map(), {}, cm({ a: '1' }), ctx('kubectl-create', 1));
    assert.deepEqual(entries(m), ['kubectl-create/Update={"f:data":{".":{},"f:a":{}}}']);
    m = update(m, cm({ a: '1' }), cm({ a: '1', b: '2' }), ctx('kubectl-create', 2));
    assert.deepEqual(entries(m), ['kubectl-create/Update={"f:data":{".":{},"f:a":{},"f:b":{}}}']);
    assert.equal(encodeManagers(m)![0].time, at(2));
  });

  it('an Update that changes nothing leaves the entries (and their times) as they were', () => {
    const m = update(new Map(), {}, cm({ a: '1' }), ctx('k', 1));
    assert.equal(
      recordUpdate(() => assert.fail('no need to read the managers'), cm({ a: '1' }), cm({ a: '1' }), ctx('k', 9)),
      undefined,
    );
    assert.ok(m.size);
  });

  it('an Update takes fields from their previous owner', () => {
    let m = update(new Map(), {}, cm({ a: '1', b: '1' }), ctx('first', 1));
    m = update(m, cm({ a: '1', b: '1' }), cm({ a: '2', b: '1' }), ctx('second', 2));
    assert.deepEqual(entries(m), ['first/Update={"f:data":{".":{},"f:b":{}}}', 'second/Update={"f:data":{"f:a":{}}}']);
  });

  it('an Apply conflicting with another manager fails with upstream message and causes; force takes the field', () => {
    const first = recordApply(new Map(), undefined, cm({ a: '1', b: '1' }), { ...ctx('one', 1), force: false });
    const live = first.object;
    assert.throws(
      () => recordApply(first.managers, live, cm({ a: '2', b: '2' }), { ...ctx('two', 2), force: false }),
      (e: unknown) => {
        assert.ok(e instanceof StatusError);
        assert.equal(e.code, 409);
        assert.equal(e.status.message, 'Apply failed with 2 conflicts: conflicts with "one":\n- .data.a\n- .data.b');
        assert.deepEqual(e.status.details?.causes, [
          { reason: 'FieldManagerConflict', message: 'conflict with "one"', field: '.data.a' },
          { reason: 'FieldManagerConflict', message: 'conflict with "one"', field: '.data.b' },
        ]);
        return true;
      },
    );
    const forced = recordApply(first.managers, live, cm({ a: '2' }), { ...ctx('two', 2), force: true });
    assert.deepEqual(entries(forced.managers), ['one/Apply={"f:data":{"f:b":{}}}', 'two/Apply={"f:data":{"f:a":{}}}']);
  });

  it('names an Update owner with its apiVersion and subresource in a conflict', () => {
    const m = update(new Map(), {}, cm({ a: '1' }), ctx('kubelet', 1, { subresource: 'status' }));
    assert.throws(
      () => recordApply(m, cm({ a: '1' }), cm({ a: '2' }), { ...ctx('me', 2), force: false }),
      /^Error: Apply failed with 1 conflict: conflict with "kubelet" with subresource "status" using v1: \.data\.a$|conflict with "kubelet" with subresource "status" using v1: \.data\.a/,
    );
  });

  it('applying the same value as another manager shares the field without conflict', () => {
    const first = recordApply(new Map(), undefined, cm({ a: '1' }), { ...ctx('one', 1), force: false });
    const second = recordApply(first.managers, first.object, cm({ a: '1' }), { ...ctx('two', 2), force: false });
    // The second apply changed no field, so its entry has no time (and sorts first, as upstream's zero time).
    assert.deepEqual(entries(second.managers), ['two/Apply={"f:data":{"f:a":{}}}', 'one/Apply={"f:data":{"f:a":{}}}']);
    assert.equal(encodeManagers(second.managers)![0].time, undefined);
    assert.equal(second.object, first.object);
  });

  it('an Apply removes what its manager no longer applies, unless another manager owns it', () => {
    const one = recordApply(new Map(), undefined, cm({ a: '1', b: '1', c: '1' }), { ...ctx('one', 1), force: false });
    const two = recordApply(one.managers, one.object, cm({ c: '1' }), { ...ctx('two', 2), force: false });
    const again = recordApply(two.managers, two.object, cm({ a: '1' }), { ...ctx('one', 3), force: false });
    assert.deepEqual((again.object as { data: unknown }).data, { a: '1', c: '1' });
    assert.deepEqual(entries(again.managers), ['two/Apply={"f:data":{"f:c":{}}}', 'one/Apply={"f:data":{"f:a":{}}}']);
  });

  it('an Apply that changes nothing keeps its time', () => {
    const one = recordApply(new Map(), undefined, cm({ a: '1' }), { ...ctx('one', 1), force: false });
    const again = recordApply(one.managers, one.object, cm({ a: '1' }), { ...ctx('one', 5), force: false });
    assert.equal(encodeManagers(again.managers)![0].time, at(1));
  });

  it('keeps at most ten Update entries, the oldest merged into ancient-changes', () => {
    let m: Managers = new Map();
    let live: Record<string, string> = {};
    for (let i = 0; i < 12; i++) {
      const next = { ...live, [`k${i}`]: 'v' };
      m = update(m, cm(live), cm(next), ctx(`m${String(i).padStart(2, '0')}`, i));
      live = next;
    }
    const names = encodeManagers(m)!.map((e) => e.manager);
    assert.equal(names.length, 10);
    assert.deepEqual(names.slice(0, 2), ['ancient-changes', 'm03']);
    assert.deepEqual(encodeManagers(m)![0].fieldsV1, { 'f:data': { 'f:k0': {}, 'f:k1': {}, 'f:k2': {} } });
  });

  it('sorts entries by operation, then time, then manager; decodes what it encodes', () => {
    let m = update(new Map(), {}, cm({ a: '1' }), ctx('zz', 1));
    m = recordApply(m, cm({ a: '1' }), cm({ a: '1', b: '2' }), { ...ctx('late', 9), force: false }).managers;
    m = update(m, cm({ a: '1', b: '2' }), cm({ a: '1', b: '2', c: '3' }), ctx('aa', 1));
    const encoded = encodeManagers(m)!;
    assert.deepEqual(
      encoded.map((e) => `${e.operation} ${e.manager}`),
      ['Apply late', 'Update aa', 'Update zz'],
    );
    assert.deepEqual(encodeManagers(decodeManagers(encoded)), encoded);
  });

  it('sorts by the instant of each time, whole seconds, whatever form a client wrote it in', () => {
    const entry = (manager: string, time: string) => ({
      manager,
      operation: 'Update',
      apiVersion: 'v1',
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { [`f:${manager}`]: {} } },
    });
    const sent = [
      entry('a', '2026-12-08T05:00:00+02:00'), // 03:00:00Z
      entry('b', '2026-12-08T03:00:01Z'),
      entry('c', '2026-12-08T02:59:59.900Z'),
      entry('d', '2026-12-08T03:00:00Z'), // the same second as a: by manager then
      entry('e', '2026-12-08T03:00:00.700Z'), // the same whole second too
    ];
    assert.deepEqual(
      encodeManagers(decodeManagers(sent))!.map((e) => e.manager),
      ['c', 'a', 'd', 'e', 'b'],
    );
  });

  it("keys managers by upstream's identifier, a name with a NUL in it as any other", () => {
    const ids = (m: { manager: string; operation: 'Apply' | 'Update'; apiVersion: string; subresource?: string }) => [
      managerIdentifier(m),
      managerIdentifier(m),
    ];
    assert.deepEqual(ids({ manager: 'kubelet', operation: 'Update', apiVersion: 'v1', subresource: 'status' }), [
      '{"manager":"kubelet","operation":"Update","apiVersion":"v1","subresource":"status"}',
      '{"manager":"kubelet","operation":"Update","apiVersion":"v1","subresource":"status"}',
    ]);
    assert.equal(
      managerIdentifier({ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1' }),
      '{"manager":"kubectl","operation":"Apply"}',
    );
    assert.equal(
      managerIdentifier({ manager: 'kubectl', operation: 'Apply', apiVersion: 'v2' }),
      '{"manager":"kubectl","operation":"Apply"}',
    );
    // Joined by NUL, these two would read alike: each keeps its own identifier.
    const a = { manager: 'm', operation: 'Update' as const, apiVersion: 'v1\0x', subresource: '' };
    const b = { manager: 'm', operation: 'Update' as const, apiVersion: 'v1', subresource: 'x\0' };
    assert.equal(managerIdentifier(a), JSON.stringify({ manager: 'm', operation: 'Update', apiVersion: 'v1\0x' }));
    assert.equal(managerIdentifier(b), JSON.stringify({ manager: 'm', operation: 'Update', apiVersion: 'v1', subresource: 'x\0' }));
    assert.equal(
      managerIdentifier({ manager: 'a\0b', operation: 'Update', apiVersion: 'v1' }),
      '{"manager":"a\\u0000b","operation":"Update","apiVersion":"v1"}',
    );
  });

  it('refuses entries upstream cannot decode', () => {
    assert.throws(() => decodeManagers([{ manager: 'x', operation: 'Patch', apiVersion: 'v1', fieldsType: 'FieldsV1' }]), /operation/);
    assert.throws(() => decodeManagers([{ manager: 'x', operation: 'Update', apiVersion: 'v1' }]), /fieldsType/);
  });

  it('leaves the reset fields out of what a write owns, a reset path with everything under it (RecursiveDifference)', () => {
    // pods/status: spec, metadata.deletionTimestamp and metadata.ownerReferences are reset; labels are not.
    const reset = FieldSet.of(['f:spec'], ['f:metadata', 'f:deletionTimestamp'], ['f:metadata', 'f:ownerReferences']);
    const podCtx = { ...ctx('kubelet', 1), schema: POD, subresource: 'status', reset };
    const live = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const config = {
      ...live,
      metadata: { name: 'p', labels: { a: 'b' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: 'u' }] },
      spec: { containers: [{ name: 'c', image: 'j' }] },
      status: { phase: 'Running' },
    };
    const applied = recordApply(new Map(), live, config, { ...podCtx, force: false });
    assert.deepEqual(entries(applied.managers), ['kubelet/Apply/status={"f:metadata":{"f:labels":{"f:a":{}}},"f:status":{"f:phase":{}}}']);
    const updated = recordUpdate(() => new Map(), live, config, { ...podCtx, manager: 'k' })!;
    assert.deepEqual(entries(updated), ['k/Update/status={"f:metadata":{"f:labels":{".":{},"f:a":{}}},"f:status":{".":{},"f:phase":{}}}']);
  });
});
