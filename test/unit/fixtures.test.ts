/** Fixtures: YAML/JSON files or folders of objects, loaded at start in dependency order. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dependencyOrder, FixtureError, loadFixtures, parseFixtures, readFixtures } from '../../src/fixtures.js';
import { buildTestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';

const MIXED = `
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: team}
spec: {containers: [{name: c, image: nginx}]}
status: {phase: Running, podIP: 10.244.1.5}
---
# a comment-only document is skipped
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Node, metadata: {name: worker-1}}
- {apiVersion: v1, kind: Namespace, metadata: {name: team}}
`;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kubemock-fixtures-'));
}

describe('fixtures', () => {
  it('parse multi-document YAML, expanding Lists and skipping empty documents', () => {
    const fixtures = parseFixtures(MIXED, 'mixed.yaml');
    assert.deepEqual(
      fixtures.map((f) => [f.object.kind, f.object.metadata.name, f.source]),
      [
        ['Pod', 'web', 'mixed.yaml#1'],
        ['Node', 'worker-1', 'mixed.yaml#3.items[0]'],
        ['Namespace', 'team', 'mixed.yaml#3.items[1]'],
      ],
    );
    assert.deepEqual(
      dependencyOrder(fixtures).map((f) => f.object.kind),
      ['Namespace', 'Node', 'Pod'],
    );
    assert.throws(
      () => parseFixtures('a: [1', 'bad.yaml'),
      (e: unknown) => e instanceof FixtureError && /bad\.yaml#1/.test(e.message),
    );
  });

  it('read a folder: .yaml, .yml and .json files in name order, other files ignored', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'from-json' } }));
    writeFileSync(join(dir, 'a.yml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: from-yml}\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a fixture');
    assert.deepEqual(
      readFixtures(dir).map((f) => f.object.metadata.name),
      ['from-yml', 'from-json'],
    );
    assert.throws(() => readFixtures(join(dir, 'missing')), FixtureError);
  });

  it('load in dependency order, write given status, and skip what exists', async (t) => {
    const { kubemock, http } = await buildTestApp(t);
    const result = loadFixtures(kubemock.registry, parseFixtures(MIXED, 'mixed.yaml'));
    assert.deepEqual(result, { created: ['namespaces/team', 'nodes/worker-1', 'pods/team/web'], existing: [] });
    const web = (await http.get('/api/v1/namespaces/team/pods/web').expect(200)).body;
    assert.deepEqual([web.status.phase, web.status.podIP], ['Running', '10.244.1.5']);
    assert.equal(web.spec.containers[0].imagePullPolicy, 'Always', 'defaults applied as for any create');
    const again = loadFixtures(kubemock.registry, parseFixtures(MIXED, 'mixed.yaml'));
    assert.deepEqual(again.created, []);
    assert.equal(again.existing.length, 3);
  });

  it('may hold an events.k8s.io/v1 Event, stored as the core/v1 Event it converts to', async (t) => {
    const { kubemock, http } = await buildTestApp(t);
    const yaml = `apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: seeded}
eventTime: "2026-12-03T10:00:00.000000Z"
reportingController: example.com/seed
reportingInstance: seed-1
action: Seed
reason: Seeded
regarding: {kind: Pod, namespace: default, name: web}
note: from a fixture
type: Normal
`;
    assert.deepEqual(loadFixtures(kubemock.registry, parseFixtures(yaml, 'ev.yaml')).created, ['events/default/seeded']);
    const core = (await http.get('/api/v1/namespaces/default/events/seeded').expect(200)).body;
    assert.deepEqual([core.message, core.involvedObject.name, core.reportingComponent], ['from a fixture', 'web', 'example.com/seed']);
    const strict = parseFixtures(yaml.replace('type: Normal', 'type: Odd').replace('seeded', 'odd'), 'odd.yaml');
    assert.throws(
      () => loadFixtures(kubemock.registry, strict),
      /odd\.yaml#1 \(events\/default\/odd\): Event "odd" is invalid: type: Invalid value: "": has invalid value: Odd/,
    );
  });

  it('name the document of an object kubemock refuses', async (t) => {
    const { kubemock } = await buildTestApp(t);
    const unknown = parseFixtures('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: x}\n', 'widget.yaml');
    assert.throws(() => loadFixtures(kubemock.registry, unknown), /widget\.yaml#1: kubemock does not serve example\.com\/v1 Widget/);
    const invalid = parseFixtures(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name}\nspec: {containers: [{name: c, image: i}]}\n',
      'pod.yaml',
    );
    assert.throws(() => loadFixtures(kubemock.registry, invalid), /pod\.yaml#1 \(pods\/default\/Bad_Name\): Pod "Bad_Name" is invalid/);
  });

  it('are loaded by buildApp before the controllers start', async (t) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cluster.yaml'), MIXED);
    writeFileSync(
      join(dir, 'ds.yaml'),
      `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: team}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: agent}]}
`,
    );
    const { http } = await buildTestApp(t, { fixtures: dir, controllers: true });
    await http.get('/apis/apps/v1/namespaces/team/daemonsets/agent').expect(200);
    await waitFor(async () => {
      const pods = (await http.get('/api/v1/namespaces/team/pods?labelSelector=app=agent').expect(200)).body.items;
      assert.deepEqual(
        pods.map((p: { spec: { nodeName: string } }) => p.spec.nodeName),
        ['worker-1'],
      );
    });
  });
});
