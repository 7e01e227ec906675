/**
 * Real kubectl and the two versions of Events: `kubectl get events.events.k8s.io`, `-o yaml` of
 * events.k8s.io/v1, `kubectl events` (core/v1) about what the scheduler and kubelet wrote, create
 * through events.k8s.io/v1, and explain of the events.k8s.io/v1 schema.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { hostname } from 'node:os';
import YAML from 'yaml';
import { findKubectl, findKubectlVersions, kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';
import { waitFor } from '../helpers/eventually.js';
import { EventSchema } from '../../src/resources/events-schemas/event.js';

const NS = 'ev-demo';

/** Header and rows of a kubectl table. */
function rows(stdout: string): { header: string; rows: string[] } {
  const [header = '', ...rest] = stdout.trimEnd().split('\n');
  return { header, rows: rest };
}

const EVENTS_V1_MANIFEST = JSON.stringify({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'by-kubectl', namespace: NS },
  eventTime: '2026-12-03T10:00:00.000001Z',
  reportingController: 'example.com/operator',
  reportingInstance: 'operator-1',
  action: 'Reconcile',
  reason: 'Synced',
  regarding: { kind: 'Pod', namespace: NS, name: 'web', apiVersion: 'v1' },
  note: 'written through events.k8s.io/v1',
  type: 'Normal',
});

describe('kubectl and events.k8s.io/v1', () => {
  const server = useServer({ nodes: 1 });

  before(async () => {
    const kubectl = findKubectl() !== undefined || process.env.KUBECTL_REQUIRED === '1';
    if (!kubectl) return;
    await kubectlOk(server, ['create', 'namespace', NS]);
    await kubectlOk(server, ['-n', NS, 'run', 'web', '--image=nginx:1.27']);
    // The scheduler's Scheduled and the kubelet's Pulled / Created / Started events.
    await waitFor(() => server.kubemock.registry.store('events').all(NS).length >= 4, { timeoutMs: 10_000 });
  });

  it('get events.events.k8s.io -A prints the event table with what the controllers wrote', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['get', 'events.events.k8s.io', '-A']);
    const table = rows(stdout);
    assert.match(table.header, /^NAMESPACE\s+LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    assert.ok(
      table.rows.some((r) =>
        new RegExp(`^${NS}\\s+\\S+\\s+Normal\\s+Scheduled\\s+pod/web\\s+Successfully assigned ${NS}/web to node-1$`).test(r),
      ),
      stdout,
    );
    assert.ok(
      table.rows.some((r) => /\sStarted\s+pod\/web\s+Started container web$/.test(r)),
      stdout,
    );
  });

  it("get events -o wide shows the kubelet's container in SUBOBJECT, none for the scheduler's event about the pod", async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['-n', NS, 'get', 'events', '-o', 'wide']);
    const table = rows(stdout);
    assert.match(table.header, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME$/);
    // Cells by the header's column starts (an empty cell is only spaces).
    const at = (title: string) => table.header.indexOf(title);
    const cell = (row: string, from: string, to: string) => row.slice(at(from), at(to)).trim();
    const byReason = new Map(table.rows.map((r) => [cell(r, 'REASON', 'OBJECT'), r]));
    for (const reason of ['Pulled', 'Created', 'Started']) {
      const row = byReason.get(reason);
      assert.ok(row, `no ${reason}\n${stdout}`);
      assert.equal(cell(row, 'SUBOBJECT', 'SOURCE'), 'spec.containers{web}', row);
      assert.equal(cell(row, 'SOURCE', 'MESSAGE'), 'kubelet, node-1', row);
    }
    const scheduled = byReason.get('Scheduled');
    assert.ok(scheduled, stdout);
    assert.equal(cell(scheduled, 'OBJECT', 'SUBOBJECT'), 'pod/web', scheduled);
    assert.equal(cell(scheduled, 'SUBOBJECT', 'SOURCE'), '', scheduled);
    // Written through events.k8s.io/v1 (no source, timestamps or count): the printer falls back to
    // reportingController / reportingInstance, eventTime, and a count of 1.
    assert.equal(cell(scheduled, 'SOURCE', 'MESSAGE'), `default-scheduler, default-scheduler-${hostname()}`, scheduled);
    assert.match(cell(scheduled, 'FIRST SEEN', 'COUNT'), /^\d+s$/, scheduled);
    assert.match(cell(scheduled, 'LAST SEEN', 'TYPE'), /^\d+s$/, scheduled);
    assert.equal(cell(scheduled, 'COUNT', 'NAME'), '1', scheduled);
  });

  it("the scheduler's Scheduled event reads through core/v1 as an events.k8s.io/v1 write: eventTime, action, no source or count", async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['-n', NS, 'get', 'events', '-o', 'yaml', '--show-managed-fields']);
    const list = YAML.parse(stdout) as { items: Record<string, any>[] };
    const scheduled = list.items.find((e) => e.reason === 'Scheduled');
    assert.ok(scheduled, stdout);
    assert.deepEqual(
      [scheduled.action, scheduled.source, scheduled.firstTimestamp, scheduled.lastTimestamp, 'count' in scheduled],
      ['Binding', {}, null, null, false],
    );
    assert.equal(scheduled.reportingComponent, 'default-scheduler');
    assert.equal(scheduled.reportingInstance, `default-scheduler-${hostname()}`);
    assert.match(scheduled.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(scheduled.message, `Successfully assigned ${NS}/web to node-1`);
    assert.deepEqual(scheduled.metadata.managedFields, [
      {
        apiVersion: 'events.k8s.io/v1',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:action': {},
          'f:eventTime': {},
          'f:note': {},
          'f:reason': {},
          'f:regarding': {},
          'f:reportingController': {},
          'f:reportingInstance': {},
          'f:type': {},
        },
        manager: 'kube-scheduler',
        operation: 'Update',
        time: scheduled.metadata.creationTimestamp,
      },
    ]);
  });

  it('describe pod shows the Scheduled event from default-scheduler, its age from eventTime, on every kubectl', async (t) => {
    if (!kubectlOrSkip(t)) return;
    for (const { version, path } of findKubectlVersions()) {
      const { stdout } = await kubectlOk(server, ['-n', NS, 'describe', 'pod', 'web'], { bin: path });
      assert.match(
        stdout,
        new RegExp(`^\\s+Normal\\s+Scheduled\\s+\\d+s\\s+default-scheduler\\s+Successfully assigned ${NS}/web to node-1$`, 'm'),
        `${version}:\n${stdout}`,
      );
    }
  });

  it('get events.v1.events.k8s.io -o yaml shows the events.k8s.io/v1 shape', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['-n', NS, 'get', 'events.v1.events.k8s.io', '-o', 'yaml']);
    const list = YAML.parse(stdout) as { items: Record<string, any>[] };
    const scheduled = list.items.find((e) => e.reason === 'Scheduled');
    assert.ok(scheduled, stdout);
    assert.equal(scheduled.apiVersion, 'events.k8s.io/v1');
    assert.equal(scheduled.note, `Successfully assigned ${NS}/web to node-1`);
    assert.deepEqual([scheduled.regarding.kind, scheduled.regarding.name], ['Pod', 'web']);
    assert.equal(scheduled.reportingController, 'default-scheduler');
    assert.match(scheduled.reportingInstance, /^default-scheduler-./);
    assert.equal(scheduled.action, 'Binding');
    assert.match(scheduled.eventTime, /\.\d{6}Z$/);
    // kube-scheduler writes through events.k8s.io/v1: none of the deprecated fields are set.
    assert.deepEqual(scheduled.deprecatedSource, {});
    assert.deepEqual([scheduled.deprecatedFirstTimestamp, scheduled.deprecatedLastTimestamp], [null, null]);
    assert.equal(scheduled.deprecatedCount, undefined);
    assert.equal(scheduled.series, undefined);
    assert.equal(scheduled.message, undefined);
    assert.equal(scheduled.regarding.fieldPath, undefined);
    const started = list.items.find((e) => e.reason === 'Started');
    assert.equal(started?.regarding.fieldPath, 'spec.containers{web}', stdout);
  });

  it('create -f of an events.k8s.io/v1 Event, then kubectl events and get ev show it', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const created = await kubectlOk(server, ['create', '-f', '-'], { input: EVENTS_V1_MANIFEST });
    assert.match(created.stdout, /^event\.events\.k8s\.io\/by-kubectl created$/m);
    const { stdout } = await kubectlOk(server, [
      '-n',
      NS,
      'get',
      'ev',
      'by-kubectl',
      '-o',
      'jsonpath={.apiVersion} {.message} {.reportingComponent}',
    ]);
    assert.equal(stdout, 'v1 written through events.k8s.io/v1 example.com/operator');
    const invalid = await runKubectl(server, ['create', '-f', '-'], {
      input: EVENTS_V1_MANIFEST.replace('"by-kubectl"', '"no-time"').replace(/"eventTime":"[^"]+",/, ''),
    });
    assert.notEqual(invalid.code, 0);
    assert.match(invalid.stderr, /The Event "no-time" is invalid: eventTime: Required value/);
  });

  it("kubectl events -n and --for pod/web list the controllers' events", async (t) => {
    if (!kubectlOrSkip(t)) return;
    for (const args of [
      ['events', '-n', NS],
      ['events', '-n', NS, '--for', 'pod/web'],
    ]) {
      const { stdout } = await kubectlOk(server, args);
      const table = rows(stdout);
      assert.match(table.header, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/, stdout);
      for (const reason of ['Scheduled', 'Pulled', 'Created', 'Started']) {
        assert.ok(
          table.rows.some((r) => new RegExp(`\\s${reason}\\s+Pod/web\\s`).test(r)),
          `${args.join(' ')}: no ${reason}\n${stdout}`,
        );
      }
    }
  });

  it('explain events --api-version=events.k8s.io/v1 shows the events.k8s.io/v1 schema, on every kubectl', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const note = (EventSchema.properties.note as { description: string }).description;
    for (const { version, path } of findKubectlVersions()) {
      const { stdout } = await kubectlOk(server, ['explain', 'events.note', '--api-version=events.k8s.io/v1'], { bin: path });
      assert.match(stdout, /^GROUP:\s+events\.k8s\.io\nKIND:\s+Event\nVERSION:\s+v1\n/, version);
      assert.match(stdout, /^FIELD: note <string>$/m, version);
      assert.ok(stdout.replace(/\s+/g, ' ').includes(note), `${version}:\n${stdout}`);
    }
    const v2 = await kubectlOk(server, ['explain', 'events', '--api-version=events.k8s.io/v1', '--output=plaintext-openapiv2']);
    assert.match(v2.stdout, /^KIND:\s+Event\nVERSION:\s+events\.k8s\.io\/v1\n/);
    assert.match(v2.stdout, /^\s+regarding\t<Object>$/m);
  });
});
