/**
 * CRDs installed at start (`startKubemock({ crds })`, `--crds`): files, operator-style folders of
 * multi-document YAML and objects, Established before startKubemock resolves, fixtures holding
 * custom objects, and a bad file failing the start with its name and the field error.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { startKubemock, type KubeObject } from '../../src/index.js';

function crd(group: string, kind: string, plural = `${kind.toLowerCase()}s`): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, kind },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties: { size: { type: 'integer', default: 3 } } } },
            },
          },
        },
      ],
    },
  };
}

/** An operator's layout: config/crd/bases with one file per group, one of them two documents. */
function operatorProject(): { root: string; bases: string } {
  const root = mkdtempSync(join(tmpdir(), 'kubemock-crds-'));
  const bases = join(root, 'config', 'crd', 'bases');
  mkdirSync(bases, { recursive: true });
  writeFileSync(
    join(bases, 'agents.example.com_nodeagents.yaml'),
    `---\n${stringify(crd('agents.example.com', 'NodeAgent'))}---\n${stringify(crd('agents.example.com', 'AgentPool'))}`,
  );
  writeFileSync(join(bases, 'logs.example.com_logshippers.yaml'), stringify(crd('logs.example.com', 'LogShipper')));
  writeFileSync(join(bases, 'README.md'), 'not a manifest');
  return { root, bases };
}

async function status(url: string, path: string, body: unknown): Promise<{ code: number; json: Record<string, unknown> }> {
  const res = await fetch(url + path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { code: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('startKubemock({ crds })', () => {
  it('installs a config/crd/bases folder and CRD objects, every one Established when it resolves', async (t) => {
    const { root, bases } = operatorProject();
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const cluster = await startKubemock({ crds: [bases, crd('db.example.com', 'Database')], nodes: 0, kubeconfig: false });
    t.after(() => cluster.stop());
    const list = (await (await fetch(`${cluster.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`)).json()) as {
      items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[] } }[];
    };
    assert.deepEqual(list.items.map((c) => c.metadata.name).sort(), [
      'agentpools.agents.example.com',
      'databases.db.example.com',
      'logshippers.logs.example.com',
      'nodeagents.agents.example.com',
    ]);
    for (const c of list.items)
      assert.ok(
        c.status.conditions.some((x) => x.type === 'Established' && x.status === 'True'),
        c.metadata.name,
      );
    // No waiting: the kinds are served from the first request.
    const created = await status(cluster.url, '/apis/agents.example.com/v1/namespaces/default/nodeagents', {
      apiVersion: 'agents.example.com/v1',
      kind: 'NodeAgent',
      metadata: { name: 'a' },
      spec: {},
    });
    assert.equal(created.code, 201);
    assert.deepEqual(created.json.spec, { size: 3 });
  });

  it('installs the CRDs before the fixtures, so fixtures may hold custom objects', async (t) => {
    const { root, bases } = operatorProject();
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const cluster = await startKubemock({
      crds: [bases],
      fixtures: [{ apiVersion: 'logs.example.com/v1', kind: 'LogShipper', metadata: { name: 'l', namespace: 'default' } }],
      nodes: 0,
      kubeconfig: false,
    });
    t.after(() => cluster.stop());
    const res = await fetch(`${cluster.url}/apis/logs.example.com/v1/namespaces/default/logshippers/l`);
    assert.equal(res.status, 200);
  });

  it('fails the start naming the file and the field error of an invalid CRD', async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'kubemock-crds-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const bad = crd('agents.example.com', 'NodeAgent');
    (bad.spec as Record<string, unknown>).scope = 'Galactic';
    const file = join(root, 'bad.yaml');
    writeFileSync(file, `${stringify(crd('ok.example.com', 'Fine'))}---\n${stringify(bad)}`);
    await assert.rejects(startKubemock({ crds: [file], nodes: 0, kubeconfig: false }), (err: Error) => {
      assert.equal(err.name, 'CrdInstallError');
      assert.ok(err.message.startsWith(`crds: ${file}#2 (nodeagents.agents.example.com): `), err.message);
      assert.match(err.message, /spec\.scope: Unsupported value: "Galactic": supported values: "Cluster", "Namespaced"/);
      return true;
    });
  });

  it('fails the start on a file that is not a CRD, or that is missing', async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'kubemock-crds-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const file = join(root, 'cm.yaml');
    writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }));
    await assert.rejects(startKubemock({ crds: [file], nodes: 0, kubeconfig: false }), {
      message: `crds: ${file}#1: expected apiextensions.k8s.io/v1 CustomResourceDefinition, got v1 ConfigMap`,
    });
    await assert.rejects(startKubemock({ crds: [join(root, 'nope')], nodes: 0, kubeconfig: false }), {
      name: 'CrdInstallError',
      message: /^crds: cannot read .*nope: ENOENT/,
    });
  });

  it('fails the start when a CRD cannot be Established (its names are taken)', async () => {
    const taken = crd('agents.example.com', 'NodeAgent');
    const rival = crd('agents.example.com', 'Other', 'others');
    (rival.spec as { names: Record<string, unknown> }).names.shortNames = ['nodeagents'];
    await assert.rejects(startKubemock({ crds: [taken, rival], nodes: 0, kubeconfig: false }), {
      message:
        'crds: others.agents.example.com is not Established: NamesAccepted is False (ShortNamesConflict: "nodeagents" is already in use)',
    });
  });

  it('on a restart with a new storage version, stored objects answer in it', async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'kubemock-crds-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const db = join(root, 'k.db');
    const twoVersions = (storage: string) => {
      const c = crd('agents.example.com', 'NodeAgent');
      const spec = c.spec as { versions: Record<string, unknown>[] };
      spec.versions = ['v1', 'v2'].map((name) => ({ ...spec.versions[0], name, storage: name === storage }));
      return c;
    };
    const first = await startKubemock({ db, crds: [twoVersions('v1')], nodes: 0, kubeconfig: false });
    const body = { apiVersion: 'agents.example.com/v1', kind: 'NodeAgent', metadata: { name: 'a' }, spec: { size: 5 } };
    assert.equal((await status(first.url, '/apis/agents.example.com/v1/namespaces/default/nodeagents', body)).code, 201);
    await first.stop();
    const second = await startKubemock({ db, crds: [twoVersions('v2')], nodes: 0, kubeconfig: false });
    t.after(() => second.stop());
    const got = (await (await fetch(`${second.url}/apis/agents.example.com/v2/namespaces/default/nodeagents/a`)).json()) as KubeObject;
    assert.deepEqual([got.apiVersion, got.spec], ['agents.example.com/v2', { size: 5 }]);
  });

  it('on a restart on the same database, updates a CRD whose spec changed', async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'kubemock-crds-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const db = join(root, 'k.db');
    const first = await startKubemock({ db, crds: [crd('agents.example.com', 'NodeAgent')], nodes: 0, kubeconfig: false });
    await first.stop();
    const changed = crd('agents.example.com', 'NodeAgent');
    (changed.spec as { names: Record<string, unknown> }).names.shortNames = ['na'];
    const second = await startKubemock({ db, crds: [changed], nodes: 0, kubeconfig: false });
    t.after(() => second.stop());
    const got = (await (
      await fetch(`${second.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/nodeagents.agents.example.com`)
    ).json()) as { status: { acceptedNames: { shortNames?: string[] } } };
    assert.deepEqual(got.status.acceptedNames.shortNames, ['na']);
  });
});
