/**
 * events.k8s.io/v1 Event, served by conversion from the stored core/v1 Events: one object, two
 * shapes, the same resourceVersions; upstream's field mapping, field labels, strict validation of
 * writes through events.k8s.io, watches converted, and 404/405 where the group serves nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';
import { openWatch } from '../helpers/watch-client.js';

const V1 = '/apis/events.k8s.io/v1';
const EVENTS = `${V1}/namespaces/default/events`;
const CORE = '/api/v1/namespaces/default/events';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const MERGE = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';

/** Minimal protobuf writer: varints and length-delimited fields, as in generated.proto. */
function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n);
  return Buffer.from(out);
}
const pbInt = (field: number, n: number) => Buffer.concat([varint(field << 3), varint(n)]);
const pbBytes = (field: number, ...parts: (Buffer | string)[]) => {
  const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
  return Buffer.concat([varint((field << 3) | 2), varint(body.length), body]);
};

/** What client-go's tools/events recorder POSTs. */
function newEvent(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name },
    eventTime: '2026-12-03T10:00:00.123456Z',
    reportingController: 'example.com/operator',
    reportingInstance: 'operator-7d9f',
    action: 'Reconcile',
    reason: 'Synced',
    regarding: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u-1', apiVersion: 'v1' },
    note: 'all good',
    type: 'Normal',
    ...extra,
  };
}

/** What client-go's record.EventRecorder (core/v1) POSTs. */
function coreEvent(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
    reason: 'Pulled',
    message: 'Container image already present',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2026-12-03T10:00:00Z',
    lastTimestamp: '2026-12-03T10:05:00Z',
    count: 3,
    type: 'Normal',
    ...extra,
  };
}

describe('events.k8s.io/v1 Event: one stored object, two versions', () => {
  it("an event created through events.k8s.io/v1 reads back through core/v1 with upstream's field mapping, and back", async (t) => {
    const { http } = await buildTestApp(t);
    const created = (await http.post(EVENTS).send(newEvent('synced')).expect(201)).body;
    assert.equal(created.apiVersion, 'events.k8s.io/v1');
    assert.equal(created.note, 'all good');
    // Go prints these zero values: eventTime-style times as null, struct fields as {}.
    assert.deepEqual([created.deprecatedSource, created.deprecatedFirstTimestamp, created.deprecatedLastTimestamp], [{}, null, null]);
    assert.equal(created.deprecatedCount, undefined);

    const core = (await http.get(`${CORE}/synced`).expect(200)).body;
    assert.equal(core.apiVersion, 'v1');
    assert.deepEqual(core.involvedObject, newEvent('x').regarding);
    assert.equal(core.message, 'all good');
    assert.equal(core.reportingComponent, 'example.com/operator');
    assert.equal(core.reportingInstance, 'operator-7d9f');
    assert.equal(core.eventTime, '2026-12-03T10:00:00.123456Z');
    assert.equal(core.action, 'Reconcile');
    assert.deepEqual([core.note, core.regarding, core.reportingController], [undefined, undefined, undefined]);
    assert.equal(core.metadata.uid, created.metadata.uid);
    assert.equal(core.metadata.resourceVersion, created.metadata.resourceVersion);

    const again = (await http.get(`${EVENTS}/synced`).expect(200)).body;
    assert.deepEqual(again, created);
    // The field manager tracks the write in the version it came through (upstream converts to it first).
    const [entry] = created.metadata.managedFields;
    assert.equal(entry.apiVersion, 'events.k8s.io/v1');
    assert.deepEqual(Object.keys(entry.fieldsV1).sort(), [
      'f:action',
      'f:eventTime',
      'f:note',
      'f:reason',
      'f:regarding',
      'f:reportingController',
      'f:reportingInstance',
      'f:type',
    ]);
  });

  it('a core/v1 event reads as events.k8s.io/v1: source, timestamps and count become the deprecated fields', async (t) => {
    const { http } = await buildTestApp(t);
    const related = { kind: 'Node', name: 'node-1' };
    await http.post(CORE).send(coreEvent('pulled', { related })).expect(201);
    const ev = (await http.get(`${EVENTS}/pulled`).expect(200)).body;
    assert.equal(ev.kind, 'Event');
    assert.deepEqual(ev.regarding, { kind: 'Pod', namespace: 'default', name: 'web' });
    assert.deepEqual(ev.related, related);
    assert.equal(ev.note, 'Container image already present');
    assert.deepEqual(ev.deprecatedSource, { component: 'kubelet', host: 'node-1' });
    assert.equal(ev.deprecatedFirstTimestamp, '2026-12-03T10:00:00Z');
    assert.equal(ev.deprecatedLastTimestamp, '2026-12-03T10:05:00Z');
    assert.equal(ev.deprecatedCount, 3);
    assert.equal(ev.eventTime, null);
    assert.deepEqual([ev.message, ev.involvedObject, ev.source, ev.count], [undefined, undefined, undefined, undefined]);
  });

  it("a core/v1 event a client made without them has Go's always-written fields, in Go's order, written through either version; the field manager does not own them", async (t) => {
    const { http } = await buildTestApp(t);
    const minimal = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'bare' },
      involvedObject: { kind: 'Pod', name: 'web' },
      reason: 'X',
      message: 'm',
    };
    const created = await http.post(CORE).send(minimal).expect(201);
    const body = JSON.parse(created.text);
    assert.deepEqual(Object.keys(body).slice(3), [
      'involvedObject',
      'reason',
      'message',
      'source',
      'firstTimestamp',
      'lastTimestamp',
      'eventTime',
      'reportingComponent',
      'reportingInstance',
    ]);
    assert.deepEqual(
      [body.source, body.firstTimestamp, body.lastTimestamp, body.eventTime, body.reportingComponent, body.reportingInstance],
      [{}, null, null, null, '', ''],
    );
    assert.deepEqual(body.metadata.managedFields[0].fieldsV1, { 'f:involvedObject': {}, 'f:message': {}, 'f:reason': {} });
    assert.deepEqual((await http.get(`${CORE}/bare`).expect(200)).body, body);

    await http.post(EVENTS).send(newEvent('through-v1')).expect(201);
    const core = (await http.get(`${CORE}/through-v1`).expect(200)).body;
    assert.deepEqual([core.source, core.firstTimestamp, core.lastTimestamp], [{}, null, null]);
    assert.equal(core.count, undefined, 'omitempty: a zero count is left out');
  });

  it("an events.k8s.io/v1 Event comes out in its Go type's field order, as the stored core/v1 one does in its own", async (t) => {
    const { http } = await buildTestApp(t);
    await http
      .post(CORE)
      .send(coreEvent('ordered', { related: { kind: 'Node', name: 'node-1' } }))
      .expect(201);
    const text = (await http.get(`${EVENTS}/ordered`).expect(200)).text;
    assert.deepEqual(Object.keys(JSON.parse(text)), [
      'kind',
      'apiVersion',
      'metadata',
      'eventTime',
      'reason',
      'regarding',
      'related',
      'note',
      'type',
      'deprecatedSource',
      'deprecatedFirstTimestamp',
      'deprecatedLastTimestamp',
      'deprecatedCount',
    ]);
    const listed = (await http.get(EVENTS).expect(200)).body;
    assert.deepEqual(Object.keys(listed.items[0]).slice(0, 4), ['kind', 'apiVersion', 'metadata', 'eventTime']);
  });

  it('both versions list the same events at the same resourceVersion, paged alike', async (t) => {
    const { http } = await buildTestApp(t);
    await http.post(CORE).send(coreEvent('a')).expect(201);
    await http.post(EVENTS).send(newEvent('b')).expect(201);
    await http.post(CORE).send(coreEvent('c')).expect(201);
    const core = (await http.get(CORE).expect(200)).body;
    const v1 = (await http.get(EVENTS).expect(200)).body;
    assert.equal(v1.kind, 'EventList');
    assert.equal(v1.apiVersion, 'events.k8s.io/v1');
    assert.equal(v1.metadata.resourceVersion, core.metadata.resourceVersion);
    assert.deepEqual(
      v1.items.map((e: any) => [e.metadata.name, e.metadata.resourceVersion]),
      core.items.map((e: any) => [e.metadata.name, e.metadata.resourceVersion]),
    );
    assert.ok(v1.items.every((e: any) => e.apiVersion === 'events.k8s.io/v1' && 'regarding' in e));
    const page = (await http.get(`${EVENTS}?limit=2`).expect(200)).body;
    assert.equal(page.items.length, 2);
    const rest = (await http.get(`${CORE}?limit=2&continue=${encodeURIComponent(page.metadata.continue)}`).expect(200)).body;
    assert.deepEqual(
      rest.items.map((e: any) => e.metadata.name),
      ['c'],
    );
    const all = (await http.get(`${V1}/events`).expect(200)).body;
    assert.ok(all.items.length >= 3);
  });

  it('a core/v1 write reaches an events.k8s.io/v1 watch converted, while a core/v1 watch gets core/v1', async (t) => {
    const { kubemock, http } = await buildTestApp(t);
    const rv = (await http.get(CORE).expect(200)).body.metadata.resourceVersion;
    const v1 = await openWatch(kubemock, `${EVENTS}?watch=true&resourceVersion=${rv}`);
    const core = await openWatch(kubemock, `${CORE}?watch=true&resourceVersion=${rv}`);
    t.after(() => (v1.close(), core.close()));
    const created = (await http.post(CORE).send(coreEvent('seen')).expect(201)).body;
    await http.patch(`${CORE}/seen`).set('content-type', MERGE).send({ count: 4 }).expect(200);
    const [added, modified] = await v1.waitFor(2);
    assert.equal(added.type, 'ADDED');
    assert.equal(added.object.apiVersion, 'events.k8s.io/v1');
    assert.equal(added.object.note, 'Container image already present');
    assert.equal(added.object.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(modified.type, 'MODIFIED');
    assert.equal(modified.object.deprecatedCount, 4);
    const [coreAdded, coreModified] = await core.waitFor(2);
    assert.equal(coreAdded.object.apiVersion, 'v1');
    assert.equal(coreModified.object.count, 4);
    assert.equal(coreModified.object.metadata.resourceVersion, modified.object.metadata.resourceVersion);
    // Replayed from the log, and from the initial list, converted as well.
    const replay = await openWatch(kubemock, `${EVENTS}?watch=true&resourceVersion=${rv}`);
    t.after(() => replay.close());
    assert.deepEqual(
      (await replay.waitFor(2)).map((e) => [e.type, e.object.apiVersion]),
      [
        ['ADDED', 'events.k8s.io/v1'],
        ['MODIFIED', 'events.k8s.io/v1'],
      ],
    );
    const initial = await openWatch(kubemock, `${EVENTS}?watch=true&fieldSelector=regarding.name%3Dweb`);
    t.after(() => initial.close());
    const [first] = await initial.waitFor(1);
    assert.deepEqual([first.type, first.object.apiVersion, first.object.deprecatedCount], ['ADDED', 'events.k8s.io/v1', 4]);
  });

  it('tables have the same columns and cells through both versions', async (t) => {
    const { http } = await buildTestApp(t);
    await http.post(EVENTS).send(newEvent('synced')).expect(201);
    await http.post(CORE).send(coreEvent('pulled')).expect(201);
    const core = (await http.get(CORE).set('Accept', TABLE).expect(200)).body;
    const v1 = (await http.get(EVENTS).set('Accept', TABLE).expect(200)).body;
    assert.deepEqual(v1.columnDefinitions, core.columnDefinitions);
    assert.deepEqual(
      v1.rows.map((r: any) => r.cells),
      core.rows.map((r: any) => r.cells),
    );
    const withObject = (await http.get(`${EVENTS}?includeObject=Object`).set('Accept', TABLE).expect(200)).body;
    assert.ok(withObject.rows.every((r: any) => r.object.apiVersion === 'events.k8s.io/v1'));
  });
});

describe('events.k8s.io/v1 writes', () => {
  it('create is validated as upstream validates events.k8s.io requests; the same body is fine through core/v1', async (t) => {
    const { http } = await buildTestApp(t);
    const bare = { metadata: { name: 'bare' }, regarding: { kind: 'Pod', namespace: 'default', name: 'web' }, note: 'x' };
    const res = await http.post(EVENTS).send(bare).expect(422);
    assert.equal(res.body.reason, 'Invalid');
    assert.equal(res.body.message, 'Event "bare" is invalid: [eventTime: Required value, type: Invalid value: "": has invalid value: ]');
    assert.deepEqual(
      res.body.details.causes.map((c: any) => c.field),
      ['eventTime', 'type'],
    );

    const legacy = newEvent('legacy', {
      reportingController: '',
      reportingInstance: '',
      action: '',
      type: 'Sometimes',
      deprecatedSource: { component: 'kubelet' },
      deprecatedCount: 2,
      deprecatedFirstTimestamp: '2026-12-03T10:00:00Z',
      series: { count: 1 },
    });
    const strict = await http.post(EVENTS).send(legacy).expect(422);
    assert.equal(
      strict.body.message,
      'Event "legacy" is invalid: [reportingController: Required value, reportingController: Invalid value: "": name part must be non-empty, ' +
        "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), " +
        'reportingInstance: Required value, action: Required value, series.count: Invalid value: "": should be at least 2, series.lastObservedTime: Required value, ' +
        'type: Invalid value: "": has invalid value: Sometimes, firstTimestamp: Invalid value: "": needs to be unset, count: Invalid value: "": needs to be unset, ' +
        'source: Invalid value: "": needs to be unset]',
    );
    await http.get(`${CORE}/legacy`).expect(404);
    // core/v1 keeps legacy validation only: an event without eventTime and with any type is fine.
    await http
      .post(CORE)
      .send({ ...coreEvent('legacy'), type: 'Sometimes' })
      .expect(201);
    const series = { count: 2, lastObservedTime: '2026-12-03T10:01:00.000001Z' };
    const withSeries = (await http.post(EVENTS).send(newEvent('series', { series })).expect(201)).body;
    assert.deepEqual(withSeries.series, series);
  });

  it('a protobuf body of an events.k8s.io/v1 Event (typed client-go 1.32+) is decoded and stored converted', async (t) => {
    const { http } = await buildTestApp(t);
    const event = Buffer.concat([
      pbBytes(1, pbBytes(1, 'from-protobuf')),
      pbBytes(2, pbInt(1, 1796292000), pbInt(2, 123456000)),
      pbBytes(4, 'example.com/operator'),
      pbBytes(5, 'operator-1'),
      pbBytes(6, 'Reconcile'),
      pbBytes(7, 'Synced'),
      pbBytes(8, pbBytes(1, 'Pod'), pbBytes(2, 'default'), pbBytes(3, 'web')),
      pbBytes(10, 'sent as protobuf'),
      pbBytes(11, 'Normal'),
    ]);
    const body = Buffer.concat([
      Buffer.from('k8s\0', 'latin1'),
      pbBytes(1, pbBytes(1, 'events.k8s.io/v1'), pbBytes(2, 'Event')),
      pbBytes(2, event),
    ]);
    const created = await http
      .post(EVENTS)
      .set('Content-Type', 'application/vnd.kubernetes.protobuf')
      .set('Accept', 'application/vnd.kubernetes.protobuf,application/json')
      .send(body)
      .expect(201);
    assert.equal(created.body.note, 'sent as protobuf');
    assert.equal(created.body.eventTime, '2026-12-03T10:00:00.123456Z');
    const core = (await http.get(`${CORE}/from-protobuf`).expect(200)).body;
    assert.deepEqual(
      [core.message, core.involvedObject.name, core.reportingComponent],
      ['sent as protobuf', 'web', 'example.com/operator'],
    );
  });

  it('an update through events.k8s.io/v1 may not change what happened, only metadata and the series', async (t) => {
    const { http } = await buildTestApp(t);
    const created = (await http.post(EVENTS).send(newEvent('synced')).expect(201)).body;
    const res = await http
      .put(`${EVENTS}/synced`)
      .send({ ...created, note: 'rewritten', reason: 'Other' })
      .expect(422);
    assert.equal(
      res.body.message,
      'Event "synced" is invalid: [reason: Invalid value: "Other": field is immutable, message: Invalid value: "rewritten": field is immutable]',
    );
    const moved = await http
      .patch(`${EVENTS}/synced`)
      .set('content-type', MERGE)
      .send({ regarding: { name: 'other' } })
      .expect(422);
    assert.match(
      moved.body.message,
      /^Event "synced" is invalid: involvedObject: Invalid value: core\.ObjectReference\{Kind:"Pod", Namespace:"default", Name:"other", UID:"u-1", APIVersion:"v1", ResourceVersion:"", FieldPath:""\}: field is immutable$/,
    );
    const series = { count: 2, lastObservedTime: '2026-12-03T10:02:00.000000Z' };
    const updated = (
      await http
        .patch(`${EVENTS}/synced`)
        .set('content-type', STRATEGIC)
        .send({ series, metadata: { labels: { a: 'b' } } })
        .expect(200)
    ).body;
    assert.deepEqual(updated.series, series);
    assert.deepEqual(updated.metadata.labels, { a: 'b' });
    assert.notEqual(updated.metadata.resourceVersion, created.metadata.resourceVersion);
    const badSeries = await http
      .patch(`${EVENTS}/synced`)
      .set('content-type', MERGE)
      .send({ series: { count: 1 } })
      .expect(422);
    assert.match(badSeries.body.message, /series\.count: Invalid value: "": should be at least 2/);
    // Through core/v1 the same change is allowed (legacy validation only).
    await http.patch(`${CORE}/synced`).set('content-type', MERGE).send({ message: 'rewritten' }).expect(200);
  });

  it('writing back what was read changes nothing, whichever version wrote the event', async (t) => {
    const { http } = await buildTestApp(t);
    // The controllers' recorder stores eventTime: null; events.k8s.io cannot tell null from absent.
    await http
      .post(CORE)
      .send(coreEvent('recorded', { eventTime: null }))
      .expect(201);
    await http.post(EVENTS).send(newEvent('synced')).expect(201);
    for (const name of ['recorded', 'synced']) {
      const before = (await http.get(`${EVENTS}/${name}`).expect(200)).body;
      const put = (await http.put(`${EVENTS}/${name}`).send(before).expect(200)).body;
      assert.equal(put.metadata.resourceVersion, before.metadata.resourceVersion, name);
      const patched = (await http.patch(`${EVENTS}/${name}`).set('content-type', STRATEGIC).send({ note: before.note }).expect(200)).body;
      assert.equal(patched.metadata.resourceVersion, before.metadata.resourceVersion, name);
    }
    const list = (await http.get(CORE).expect(200)).body;
    assert.ok(list.items.every((e: any) => Number(e.metadata.resourceVersion) <= Number(list.metadata.resourceVersion)));
  });

  it('server-side apply, dry runs, delete and delete-collection work through events.k8s.io/v1', async (t) => {
    const { http } = await buildTestApp(t);
    const applied = await http
      .patch(`${EVENTS}/applied?fieldManager=test`)
      .set('content-type', 'application/apply-patch+yaml')
      .send(JSON.stringify(newEvent('applied')))
      .expect(201);
    assert.equal(applied.body.apiVersion, 'events.k8s.io/v1');
    assert.equal((await http.get(`${CORE}/applied`).expect(200)).body.message, 'all good');
    const dry = (await http.post(`${EVENTS}?dryRun=All`).send(newEvent('dry')).expect(201)).body;
    assert.equal(dry.note, 'all good');
    await http.get(`${CORE}/dry`).expect(404);
    await http.post(EVENTS).send(newEvent('gone')).expect(201);
    const deleted = (await http.delete(`${EVENTS}/gone`).expect(200)).body;
    assert.deepEqual(
      [deleted.kind, deleted.status, deleted.details.kind, deleted.details.group],
      ['Status', 'Success', 'events', 'events.k8s.io'],
    );
    await http.get(`${CORE}/gone`).expect(404);
    const missing = (await http.get(`${EVENTS}/gone`).expect(404)).body;
    assert.equal(missing.message, 'events.events.k8s.io "gone" not found');
    const collection = (await http.delete(`${EVENTS}?fieldSelector=reason%3DSynced`).expect(200)).body;
    assert.deepEqual([collection.kind, collection.apiVersion], ['EventList', 'events.k8s.io/v1']);
    assert.deepEqual(
      collection.items.map((e: any) => [e.metadata.name, e.note]),
      [['applied', 'all good']],
    );
    await http.get(`${CORE}/applied`).expect(404);
  });
});

describe('events.k8s.io/v1 errors', () => {
  const status = (code: number, reason: string, message: string, details: Record<string, unknown>) => ({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  });

  it("name the request's group, as upstream's store takes it from the request (core/v1 names none)", async (t) => {
    const { http } = await buildTestApp(t);
    const notFound = (group?: string) =>
      status(
        404,
        'NotFound',
        `events${group ? `.${group}` : ''} "x" not found`,
        group ? { name: 'x', group, kind: 'events' } : { name: 'x', kind: 'events' },
      );
    assert.deepEqual((await http.get(`${EVENTS}/x`).expect(404)).body, notFound('events.k8s.io'));
    assert.deepEqual((await http.delete(`${EVENTS}/x`).expect(404)).body, notFound('events.k8s.io'));
    for (const type of [MERGE, STRATEGIC, 'application/json-patch+json']) {
      const body = type === MERGE || type === STRATEGIC ? '{"note":"n"}' : '[]';
      const res = await http.patch(`${EVENTS}/x`).set('content-type', type).send(body).expect(404);
      assert.deepEqual(res.body, notFound('events.k8s.io'), type);
    }
    // The same stored objects through core/v1 name the core group.
    assert.deepEqual((await http.get(`${CORE}/x`).expect(404)).body, notFound());
    assert.deepEqual((await http.delete(`${CORE}/x`).expect(404)).body, notFound());

    const created = (await http.post(EVENTS).send(newEvent('x')).expect(201)).body;
    const exists = (await http.post(EVENTS).send(newEvent('x')).expect(409)).body;
    assert.deepEqual(
      exists,
      status(409, 'AlreadyExists', 'events.events.k8s.io "x" already exists', { name: 'x', group: 'events.k8s.io', kind: 'events' }),
    );
    assert.equal((await http.post(CORE).send(coreEvent('x')).expect(409)).body.message, 'events "x" already exists');

    const conflictText = 'the object has been modified; please apply your changes to the latest version and try again';
    const stale = { ...created, metadata: { ...created.metadata, resourceVersion: '1' }, note: 'stale' };
    assert.deepEqual(
      (await http.put(`${EVENTS}/x`).send(stale).expect(409)).body,
      status(409, 'Conflict', `Operation cannot be fulfilled on events.events.k8s.io "x": ${conflictText}`, {
        name: 'x',
        group: 'events.k8s.io',
        kind: 'events',
      }),
    );
    const pinned = await http
      .patch(`${EVENTS}/x`)
      .set('content-type', MERGE)
      .send(JSON.stringify({ metadata: { resourceVersion: '1' }, note: 'stale' }))
      .expect(409);
    assert.equal(pinned.body.message, `Operation cannot be fulfilled on events.events.k8s.io "x": ${conflictText}`);

    // A uid precondition names the request's group and the stored key.
    const uid = '6f7c1b0e-0000-4000-8000-0000000000aa';
    const precondition = await http
      .put(`${EVENTS}/x`)
      .send({ ...created, metadata: { ...created.metadata, uid } })
      .expect(409);
    assert.equal(
      precondition.body.message,
      'Operation cannot be fulfilled on events.events.k8s.io "x": StorageError: invalid object, Code: 4, Key: /registry/events/default/x, ' +
        `ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: ${uid}, UID in object meta: ${created.metadata.uid}`,
    );
    const deleteConflict = await http.delete(`${EVENTS}/x`).send({ preconditions: { uid } }).expect(409);
    // A DELETE's preconditions are rest.BeforeDelete's, which names the stored type's kind instead.
    assert.deepEqual(
      deleteConflict.body,
      status(
        409,
        'Conflict',
        `Operation cannot be fulfilled on Event "x": the UID in the precondition (${uid}) does not match the UID in record (${created.metadata.uid}). ` +
          'The object might have been deleted and then recreated',
        { name: 'x', kind: 'Event' },
      ),
    );

    // Validation errors name the kind of the stored (internal) type, whichever group was asked.
    const invalid = (
      await http
        .put(`${EVENTS}/x`)
        .send({ ...created, note: 'x'.repeat(1025) })
        .expect(422)
    ).body;
    assert.equal(invalid.details.group, undefined);
    assert.match(invalid.message, /^Event "x" is invalid: /);
  });
});

describe('events.k8s.io/v1 reads', () => {
  it('field selectors take the events.k8s.io labels, matched on the stored fields', async (t) => {
    const { http } = await buildTestApp(t);
    await http.post(EVENTS).send(newEvent('synced')).expect(201);
    await http
      .post(CORE)
      .send(coreEvent('pulled', { involvedObject: { kind: 'Pod', namespace: 'default', name: 'db' } }))
      .expect(201);
    const names = async (query: string) =>
      (await http.get(`${EVENTS}?fieldSelector=${encodeURIComponent(query)}`).expect(200)).body.items.map((e: any) => e.metadata.name);
    assert.deepEqual(await names('regarding.name=web'), ['synced']);
    assert.deepEqual(await names('regarding.kind=Pod,regarding.name!=web'), ['pulled']);
    assert.deepEqual(await names('reportingController=example.com/operator'), ['synced']);
    // `source` is the source component, or the reporting controller when there is none (both versions).
    assert.deepEqual(await names('source=example.com/operator'), ['synced']);
    assert.deepEqual(await names('source=kubelet'), ['pulled']);
    assert.deepEqual(await names('type=Normal,reason=Pulled,metadata.namespace=default'), ['pulled']);
    const core = (await http.get(`${CORE}?fieldSelector=source%3Dexample.com/operator`).expect(200)).body;
    assert.deepEqual(
      core.items.map((e: any) => e.metadata.name),
      ['synced'],
    );
    for (const label of ['involvedObject.name', 'reportingComponent', 'note']) {
      const res = await http.get(`${EVENTS}?fieldSelector=${label}%3Dx`).expect(400);
      assert.equal(res.body.message, `field label not supported: ${label}`);
    }
    await http.get(`${CORE}?fieldSelector=regarding.name%3Dweb`).expect(400);
  });

  it('404 and 405 where the group serves nothing, as upstream', async (t) => {
    const { http } = await buildTestApp(t);
    await http.post(EVENTS).send(newEvent('synced')).expect(201);
    for (const path of [
      '/apis/events.k8s.io/v1beta1',
      '/apis/events.k8s.io/v1beta1/namespaces/default/events',
      `${EVENTS}/synced/status`,
      `${V1}/namespaces/default/leases`,
    ]) {
      const res = await http.get(path).expect(404);
      assert.equal(res.body.message, 'the server could not find the requested resource', path);
    }
    await http.put(EVENTS).send(newEvent('x')).expect(405);
    await http.post(`${EVENTS}/synced`).send(newEvent('synced')).expect(405);
    // Across all namespaces a namespaced resource is only listed and watched.
    for (const base of [`${V1}/events`, '/api/v1/events']) {
      const post = await http
        .post(base)
        .send({ ...newEvent('x'), metadata: { name: 'x', namespace: 'default' } })
        .expect(405);
      assert.equal(post.body.reason, 'MethodNotAllowed');
      await http.delete(base).expect(405);
    }
    assert.equal((await http.get(EVENTS).expect(200)).body.items.length, 1);
  });

  it('discovery lists events.k8s.io/v1 events with the verbs, short name and storage hash of the core resource', async (t) => {
    const { http } = await buildTestApp(t);
    const groups = (await http.get('/apis').expect(200)).body.groups;
    const group = groups.find((g: any) => g.name === 'events.k8s.io');
    assert.deepEqual(group, {
      name: 'events.k8s.io',
      versions: [{ groupVersion: 'events.k8s.io/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'events.k8s.io/v1', version: 'v1' },
    });
    assert.deepEqual((await http.get('/apis/events.k8s.io').expect(200)).body, { kind: 'APIGroup', apiVersion: 'v1', ...group });
    const list = (await http.get(V1).expect(200)).body;
    const core = (await http.get('/api/v1').expect(200)).body.resources.find((r: any) => r.name === 'events');
    assert.equal(list.groupVersion, 'events.k8s.io/v1');
    assert.deepEqual(list.resources, [{ ...core, storageVersionHash: 'r2yiGXH7wu8=' }]);
    const aggregated = (
      await http.get('/apis').set('Accept', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList').expect(200)
    ).body;
    const item = aggregated.items.find((i: any) => i.metadata.name === 'events.k8s.io');
    const resource = item.versions[0].resources[0];
    assert.deepEqual(
      [item.versions[0].version, resource.resource, resource.responseKind, resource.shortNames, resource.verbs.length],
      ['v1', 'events', { group: 'events.k8s.io', version: 'v1', kind: 'Event' }, ['ev'], 8],
    );
  });
});
