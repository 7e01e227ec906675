import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { servedDefinitions, storageDefinition } from '../../src/registry/served-versions.js';
import { resources } from '../../src/resources/index.js';
import { fromStorage, toStorage } from '../../src/resources/events/events-v1.js';
import { inSchemaOrder } from '../../src/apimachinery/schema-order.js';

describe('served versions', () => {
  const served = servedDefinitions(resources);
  const core = resources.find((d) => d.plural === 'events' && d.group === '')!;
  const v1 = served.find((d) => d.plural === 'events' && d.group === 'events.k8s.io')!;

  it('derive one definition per declared version, after the stored kinds, once per list', () => {
    assert.deepEqual(served.slice(0, resources.length), resources);
    assert.equal(served.length, resources.length + 1);
    assert.equal(servedDefinitions(resources), served);
    assert.deepEqual(
      [v1.version, v1.kind, v1.listKind, v1.singular, v1.namespaced, v1.shortNames],
      ['v1', 'Event', 'EventList', 'event', true, ['ev']],
    );
    assert.equal(storageDefinition(v1), core);
    assert.equal(storageDefinition(core), core);
    assert.equal(v1.servedVersions, undefined);
    assert.equal(v1.schema?.$id, 'io.k8s.api.events.v1.Event');
  });

  it("take the version's field labels (metadata ones implied) and build table rows from served objects", () => {
    assert.ok(v1.fieldLabels?.includes('regarding.name'));
    assert.ok(!v1.fieldLabels?.includes('involvedObject.name'));
    assert.ok(!v1.fieldLabels?.includes('metadata.name'));
    const stored = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e' },
      involvedObject: { kind: 'Pod', name: 'p' },
      reason: 'R',
      message: 'm',
      type: 'Normal',
      count: 2,
    };
    assert.deepEqual(v1.table!.cells(fromStorage(stored), 0), core.table!.cells(stored, 0));
  });

  it('convert core/v1 ↔ events.k8s.io/v1 field by field, stored as Go writes it (zeros of omitempty fields out, of the others in)', () => {
    const stored = {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'p' },
      reason: 'R',
      message: 'm',
      source: { component: 'kubelet', host: 'n' },
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:01:00Z',
      count: 2,
      type: 'Warning',
      eventTime: '2026-01-01T00:00:00.000001Z',
      series: { count: 2, lastObservedTime: '2026-01-01T00:01:00.000001Z' },
      action: 'A',
      related: { kind: 'Node', name: 'n' },
      reportingComponent: 'c',
      reportingInstance: 'i',
    };
    const served = fromStorage(stored);
    assert.deepEqual(served, {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: stored.metadata,
      eventTime: stored.eventTime,
      series: stored.series,
      reportingController: 'c',
      reportingInstance: 'i',
      action: 'A',
      reason: 'R',
      regarding: stored.involvedObject,
      related: stored.related,
      note: 'm',
      type: 'Warning',
      deprecatedSource: stored.source,
      deprecatedFirstTimestamp: stored.firstTimestamp,
      deprecatedLastTimestamp: stored.lastTimestamp,
      deprecatedCount: 2,
    });
    assert.deepEqual(toStorage(served), stored);
    assert.deepEqual(Object.keys(toStorage(served)), Object.keys(stored), 'core/v1 field order');
    const bare = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'b' },
      involvedObject: {},
      eventTime: null,
      source: {},
      reportingComponent: '',
    };
    const canonical = {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name: 'b' },
      involvedObject: {},
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    };
    assert.deepEqual(toStorage(fromStorage(bare)), canonical);
    assert.deepEqual(Object.keys(toStorage(fromStorage(bare))), Object.keys(canonical));
    // Already in the order and form the store writes: its canonical order keeps the object's own fields.
    for (const event of [stored, bare]) {
      const converted = toStorage(fromStorage(event));
      converted.metadata = { ...converted.metadata, creationTimestamp: '2026-01-01T00:00:00Z' };
      const written = inSchemaOrder(converted, core.schema);
      assert.equal(written, converted);
    }
  });
});
