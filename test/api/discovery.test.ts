import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { isStatusError } from '../../src/apimachinery/status.js';
import type { ResourceDefinition } from '../../src/registry/resource-definition.js';
import { openKindSchemas } from '../../src/apimachinery/schemas/open-kind.js';
import { aggregatedDiscovery, apiGroupList, negotiateDiscovery, storageVersionHash } from '../../src/http/discovery/documents.js';
import { BUILTIN_API_PRIORITIES } from '../../src/resources/api-priorities.js';
import { resources } from '../../src/resources/index.js';
import { servedDefinitions } from '../../src/registry/served-versions.js';
import { apiVersionOf } from '../../src/registry/resource-definition.js';
import { compareKubeVersions } from '../../src/apimachinery/group-version.js';
import { discoveryRoutes } from '../../src/http/routes/discovery.js';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';
const ACCEPT_127 = `${V2BETA1},application/json`; // kubectl 1.27–1.29
const ACCEPT_130 = `${V2},${V2BETA1},application/json`; // kubectl 1.30–1.33
const ACCEPT_TYPED_132 = 'application/vnd.kubernetes.protobuf,application/json'; // typed clients 1.32/1.33

function def(d: Partial<ResourceDefinition> & Pick<ResourceDefinition, 'kind' | 'plural' | 'singular'>): ResourceDefinition {
  const schemas = openKindSchemas(d.group ?? '', 'v1', d.kind);
  return {
    group: '',
    version: 'v1',
    listKind: `${d.kind}List`,
    namespaced: true,
    strategy: {},
    schema: schemas.kind,
    listSchema: schemas.list,
    protobuf: '',
    ...d,
  };
}

const definitions: ResourceDefinition[] = [
  def({
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    shortNames: ['po'],
    categories: ['all'],
    statusStrategy: {},
    extraSubresources: [
      { name: 'log', verbs: ['get'] },
      { name: 'eviction', verbs: ['create'], group: 'policy', version: 'v1', kind: 'Eviction' },
      { name: 'binding', verbs: ['create'], kind: 'Binding' },
    ],
  }),
  def({ kind: 'Node', plural: 'nodes', singular: 'node', namespaced: false, shortNames: ['no'], statusStrategy: {} }),
  def({ kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'] }),
  def({ kind: 'Event', plural: 'events', singular: 'event', shortNames: ['ev'] }),
  def({
    group: 'apps',
    kind: 'DaemonSet',
    plural: 'daemonsets',
    singular: 'daemonset',
    shortNames: ['ds'],
    categories: ['all'],
    statusStrategy: {},
  }),
  def({ group: 'apps', kind: 'ControllerRevision', plural: 'controllerrevisions', singular: 'controllerrevision' }),
];

/** The plugin alone, plus stand-ins for the resource routes' wildcards to prove the routes do not clash. */
async function buildApp(defs: ResourceDefinition[]): Promise<FastifyInstance> {
  const app = Fastify();
  app.setErrorHandler((err, _req, reply) => {
    if (isStatusError(err)) return reply.code(err.code).header('content-type', 'application/json').send(JSON.stringify(err.status));
    return reply.code(500).send(String(err));
  });
  await app.register(discoveryRoutes, { definitions: defs });
  app.get('/api/v1/*', async () => ({ wildcard: 'core' }));
  app.get('/apis/:group/:version/*', async () => ({ wildcard: 'apis' }));
  await app.ready();
  return app;
}

async function get(path: string, accept?: string, defs = definitions) {
  const app = await buildApp(defs);
  try {
    const res = await app.inject({ method: 'GET', url: path, headers: { host: '127.0.0.1:28080', ...(accept ? { accept } : {}) } });
    return { status: res.statusCode, type: String(res.headers['content-type']), body: res.body, json: () => JSON.parse(res.body) };
  } finally {
    await app.close();
  }
}

describe('legacy discovery', () => {
  it('GET /api is APIVersions with the Host as server address', async () => {
    const res = await get('/api', 'application/json');
    assert.equal(res.status, 200);
    assert.equal(res.type, 'application/json');
    assert.deepEqual(res.json(), {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:28080' }],
    });
  });

  it('GET /apis is APIGroupList', async () => {
    const res = await get('/apis');
    assert.equal(res.type, 'application/json');
    const gv = { groupVersion: 'apps/v1', version: 'v1' };
    assert.deepEqual(res.json(), {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [{ name: 'apps', versions: [gv], preferredVersion: gv }],
    });
  });

  it('GET /apis/apps is APIGroup; unknown groups are 404 Status', async () => {
    const gv = { groupVersion: 'apps/v1', version: 'v1' };
    assert.deepEqual((await get('/apis/apps')).json(), {
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: 'apps',
      versions: [gv],
      preferredVersion: gv,
    });
    const res = await get('/apis/nope');
    assert.equal(res.status, 404);
    assert.equal(res.json().kind, 'Status');
  });

  it('GET /api/v1 lists resources and subresources', async () => {
    const res = await get('/api/v1');
    assert.equal(res.type, 'application/json');
    const body = res.json();
    assert.deepEqual([body.kind, body.apiVersion, body.groupVersion], ['APIResourceList', 'v1', 'v1']);
    const byName = new Map<string, Record<string, unknown>>(body.resources.map((r: { name: string }) => [r.name, r]));
    assert.deepEqual(
      [...byName.keys()],
      ['events', 'namespaces', 'nodes', 'nodes/status', 'pods', 'pods/binding', 'pods/eviction', 'pods/log', 'pods/status'],
    );
    const pods = byName.get('pods')!;
    assert.deepEqual(pods, {
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ALL_VERBS,
      shortNames: ['po'],
      categories: ['all'],
      storageVersionHash: storageVersionHash('', 'v1', 'Pod'),
    });
    assert.match(pods.storageVersionHash, /^[A-Za-z0-9+/]{11}=$/);
    assert.deepEqual(byName.get('pods/status'), {
      name: 'pods/status',
      singularName: '',
      namespaced: true,
      kind: 'Pod',
      verbs: ['get', 'patch', 'update'],
    });
    assert.deepEqual(byName.get('pods/log'), { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
    assert.deepEqual(byName.get('pods/eviction'), {
      name: 'pods/eviction',
      singularName: '',
      namespaced: true,
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
    assert.deepEqual(byName.get('pods/binding'), {
      name: 'pods/binding',
      singularName: '',
      namespaced: true,
      kind: 'Binding',
      verbs: ['create'],
    });
    assert.deepEqual(
      ['nodes', 'namespaces', 'events'].map((n) => [byName.get(n)!.namespaced, byName.get(n)!.shortNames]),
      [
        [false, ['no']],
        [false, ['ns']],
        [true, ['ev']],
      ],
    );
    assert.equal(byName.get('events')!.categories, undefined);
  });

  it('GET /apis/apps/v1 lists daemonsets, daemonsets/status, controllerrevisions', async () => {
    const body = (await get('/apis/apps/v1')).json();
    assert.equal(body.groupVersion, 'apps/v1');
    const [cr, ds, dsStatus] = body.resources;
    assert.deepEqual(cr, {
      name: 'controllerrevisions',
      singularName: 'controllerrevision',
      namespaced: true,
      kind: 'ControllerRevision',
      verbs: ALL_VERBS,
      storageVersionHash: storageVersionHash('apps', 'v1', 'ControllerRevision'),
    });
    assert.deepEqual(
      { ...ds, storageVersionHash: undefined },
      {
        name: 'daemonsets',
        singularName: 'daemonset',
        namespaced: true,
        kind: 'DaemonSet',
        verbs: ALL_VERBS,
        shortNames: ['ds'],
        categories: ['all'],
        storageVersionHash: undefined,
      },
    );
    assert.notEqual(ds.storageVersionHash, cr.storageVersionHash);
    assert.deepEqual(dsStatus, {
      name: 'daemonsets/status',
      singularName: '',
      namespaced: true,
      kind: 'DaemonSet',
      verbs: ['get', 'patch', 'update'],
    });
    assert.equal(body.resources.length, 3);
  });

  it('unknown group-versions are a 404 Status', async () => {
    for (const path of ['/apis/nope/v1', '/apis/apps/v2']) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(res.json(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server could not find the requested resource',
        reason: 'NotFound',
        details: {},
        code: 404,
      });
    }
  });

  it('resource wildcards still get their paths', async () => {
    assert.deepEqual((await get('/apis/apps/v1/daemonsets')).json(), { wildcard: 'apis' });
    assert.deepEqual((await get('/api/v1/pods')).json(), { wildcard: 'core' });
  });
});

describe('aggregated discovery', () => {
  it('negotiates by Accept', () => {
    const cases: [string | undefined, string][] = [
      [ACCEPT_130, 'v2'],
      [ACCEPT_127, 'v2beta1'],
      [ACCEPT_TYPED_132, 'legacy'],
      ['application/json', 'legacy'],
      ['application/json, */*', 'legacy'],
      [undefined, 'legacy'],
      [`${V2};q=0,${V2BETA1}`, 'v2beta1'],
      [' application/json ; as=APIGroupDiscoveryList ; v="v2"; g=apidiscovery.k8s.io , application/json', 'v2'],
      ['application/yaml;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', 'legacy'],
    ];
    for (const [accept, want] of cases) assert.equal(negotiateDiscovery(accept), want, accept);
  });

  for (const [accept, version] of [
    [ACCEPT_130, 'v2'],
    [ACCEPT_127, 'v2beta1'],
  ] as const) {
    it(`GET /apis answers ${version} for Accept ${accept.slice(0, 60)}…`, async () => {
      const res = await get('/apis', accept);
      assert.deepEqual([res.status, res.type], [200, `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`]);
      const body = res.json();
      assert.deepEqual([body.kind, body.apiVersion, body.metadata], ['APIGroupDiscoveryList', `apidiscovery.k8s.io/${version}`, {}]);
      assert.equal(body.items.length, 1);
      const [apps] = body.items;
      assert.deepEqual(apps.metadata, { name: 'apps', creationTimestamp: null });
      assert.deepEqual([apps.versions.length, apps.versions[0].version, apps.versions[0].freshness], [1, 'v1', 'Current']);
      const dsKind = { group: 'apps', version: 'v1', kind: 'DaemonSet' };
      assert.deepEqual(apps.versions[0].resources, [
        {
          resource: 'controllerrevisions',
          responseKind: { group: 'apps', version: 'v1', kind: 'ControllerRevision' },
          scope: 'Namespaced',
          singularResource: 'controllerrevision',
          verbs: ALL_VERBS,
        },
        {
          resource: 'daemonsets',
          responseKind: dsKind,
          scope: 'Namespaced',
          singularResource: 'daemonset',
          verbs: ALL_VERBS,
          shortNames: ['ds'],
          categories: ['all'],
          subresources: [{ subresource: 'status', responseKind: dsKind, verbs: ['get', 'patch', 'update'] }],
        },
      ]);
    });
  }

  it('GET /api answers the core group', async () => {
    const res = await get('/api', ACCEPT_130);
    assert.equal(res.type, V2);
    const body = res.json();
    assert.equal(body.items.length, 1);
    const [core] = body.items;
    assert.deepEqual(core.metadata, { creationTimestamp: null });
    const resources = core.versions[0].resources as Record<string, any>[];
    assert.deepEqual(
      resources.map((r) => r.resource),
      ['events', 'namespaces', 'nodes', 'pods'],
    );
    const pods = resources.find((r) => r.resource === 'pods')!;
    assert.deepEqual([pods.scope, pods.singularResource, pods.shortNames, pods.categories], ['Namespaced', 'pod', ['po'], ['all']]);
    const podKind = { group: '', version: 'v1', kind: 'Pod' };
    assert.deepEqual(pods.subresources, [
      { subresource: 'binding', responseKind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
      { subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
      { subresource: 'log', responseKind: podKind, verbs: ['get'] },
      { subresource: 'status', responseKind: podKind, verbs: ['get', 'patch', 'update'] },
    ]);
    assert.deepEqual(
      resources.map((r) => r.scope),
      ['Namespaced', 'Cluster', 'Cluster', 'Namespaced'],
    );
    assert.equal((await get('/api', ACCEPT_127)).type, V2BETA1);
  });

  it('typed-client and plain JSON Accepts get legacy documents', async () => {
    for (const accept of [ACCEPT_TYPED_132, 'application/json', 'application/json, */*']) {
      const [api, apis] = [await get('/api', accept), await get('/apis', accept)];
      assert.deepEqual([api.type, api.json().kind], ['application/json', 'APIVersions']);
      assert.deepEqual([apis.type, apis.json().kind], ['application/json', 'APIGroupList']);
    }
  });
});

/** `kubectl get --raw /apis` group names of a kube-apiserver 1.33 serving its default APIs, in its order. */
const KUBE_133_GROUPS = [
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

/** A kind served in `group`/`version`, built in or (`custom`) a CustomResourceDefinition's. */
function servedIn(group: string, version: string, custom = false): ResourceDefinition {
  return def({ group, version, kind: 'Thing', plural: 'things', singular: 'thing', ...(custom ? { unstructured: true } : {}) });
}

type GroupEntry = { name: string; versions: { version: string }[]; preferredVersion: { version: string } };
type DiscoveryItem = { metadata: { name: string }; versions: { version: string }[] };

/** The groups of /apis, legacy and both aggregated versions, as [name, versions] pairs. */
async function groupLists(defs: ResourceDefinition[]) {
  const legacy = (await get('/apis', undefined, defs)).json().groups as GroupEntry[];
  const aggregated = async (accept: string) =>
    ((await get('/apis', accept, defs)).json().items as DiscoveryItem[]).map((g) => [g.metadata.name, g.versions.map((v) => v.version)]);
  return {
    legacy: legacy.map((g) => [g.name, g.versions.map((v) => v.version)]),
    preferred: Object.fromEntries(legacy.map((g) => [g.name, g.preferredVersion.version])),
    v2: await aggregated(ACCEPT_130),
    v2beta1: await aggregated(ACCEPT_127),
  };
}

const names = (groups: unknown[][]) => groups.map(([name]) => name);

describe('discovery order (kube-apiserver 1.33 group and version priorities)', () => {
  it('lists built-in groups by group priority, as a 1.33 server does, whatever order the kinds come in', async () => {
    const builtins = KUBE_133_GROUPS.filter((g) => g !== 'apiregistration.k8s.io'); // the aggregator's own, not served here
    const lists = await groupLists([...builtins].reverse().map((g) => servedIn(g, 'v1')));
    for (const format of ['legacy', 'v2', 'v2beta1'] as const) assert.deepEqual(names(lists[format]), builtins, format);
  });

  it("kubemock's own groups come in the order a 1.33 server lists them, each version with a priority", () => {
    const served = servedDefinitions(resources);
    const groups = new Set(served.map((d) => d.group).filter((g) => g !== ''));
    for (const g of groups) assert.ok(KUBE_133_GROUPS.includes(g), `${g} is not a kube-apiserver 1.33 group`);
    const expected = KUBE_133_GROUPS.filter((g) => groups.has(g));
    assert.deepEqual(
      (apiGroupList(served).groups as GroupEntry[]).map((g) => g.name),
      expected,
    );
    for (const version of ['v2', 'v2beta1'] as const)
      assert.deepEqual(
        (aggregatedDiscovery(served, 'apis', version).items as DiscoveryItem[]).map((g) => g.metadata.name),
        expected,
        version,
      );
    for (const gv of new Set(served.map(apiVersionOf))) assert.ok(BUILTIN_API_PRIORITIES[gv], `${gv} has no discovery priority`);
  });

  it('orders the versions of a group by version priority before the Kubernetes version order', async () => {
    // autoscaling: v2 30, v1 15, v2beta1 9, v2beta2 1; by version order alone v2beta2 would precede v2beta1.
    const defs = ['v2beta2', 'v1', 'v2beta1', 'v2'].map((v) => servedIn('autoscaling', v));
    const versions = ['v2', 'v1', 'v2beta1', 'v2beta2'];
    const lists = await groupLists(defs);
    const want = [['autoscaling', versions]];
    assert.deepEqual([lists.legacy, lists.v2, lists.v2beta1], [want, want, want]);
    assert.equal(lists.preferred.autoscaling, 'v2');
    const group = (await get('/apis/autoscaling', undefined, defs)).json() as GroupEntry;
    assert.deepEqual([group.versions.map((v) => v.version), group.preferredVersion.version], [versions, 'v2']);
  });

  it('puts CRD groups after the built-in ones; among themselves by APIService name in /apis, by group name in aggregated discovery', async () => {
    const defs = [
      servedIn('zeta.example.com', 'v1', true),
      servedIn('discovery.k8s.io', 'v1'),
      servedIn('b.example.com', 'v2beta1', true),
      servedIn('b.example.com', 'v1', true),
      servedIn('a.example.com', 'v1beta1', true),
      servedIn('apps', 'v1'),
    ];
    const lists = await groupLists(defs);
    // Every CRD version has group priority 1000: /apis sorts the APIServices v1.b…, v1.zeta…, v1beta1.a…, v2beta1.b…
    assert.deepEqual(lists.legacy, [
      ['apps', ['v1']],
      ['discovery.k8s.io', ['v1']],
      ['b.example.com', ['v1', 'v2beta1']],
      ['zeta.example.com', ['v1']],
      ['a.example.com', ['v1beta1']],
    ]);
    const aggregated = [
      ['apps', ['v1']],
      ['discovery.k8s.io', ['v1']],
      ['a.example.com', ['v1beta1']],
      ['b.example.com', ['v1', 'v2beta1']],
      ['zeta.example.com', ['v1']],
    ];
    assert.deepEqual([lists.v2, lists.v2beta1], [aggregated, aggregated]);
    assert.equal(lists.preferred['b.example.com'], 'v1');
  });

  it("a CRD's version in a built-in group keeps the group's place and, with its higher version priority, comes first", async () => {
    // Upstream lets a CRD into a *.k8s.io group only with the api-approved.kubernetes.io annotation.
    const lists = await groupLists([
      servedIn('apps', 'v1'),
      servedIn('discovery.k8s.io', 'v1'),
      servedIn('discovery.k8s.io', 'v1alpha1', true),
    ]);
    const want = [
      ['apps', ['v1']],
      ['discovery.k8s.io', ['v1alpha1', 'v1']],
    ];
    assert.deepEqual([lists.legacy, lists.v2, lists.v2beta1], [want, want, want]);
    assert.equal(lists.preferred['discovery.k8s.io'], 'v1alpha1');
  });
});

describe('version, health, openapi v2', () => {
  it('GET /version looks like a 1.33 server', async () => {
    const res = await get('/version');
    assert.equal(res.type, 'application/json');
    const v = res.json();
    assert.deepEqual([v.major, v.minor, v.gitVersion], ['1', '33', 'v1.33.1']);
    assert.match(v.gitCommit, /^[0-9a-f]{40}$/);
    assert.match(v.buildDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(v.goVersion, /^go1\.\d+/);
    assert.deepEqual([v.gitTreeState, v.compiler], ['clean', 'gc']);
    assert.match(v.platform, /^linux\/[a-z0-9]+$/);
  });

  it('health endpoints answer ok, verbose lists checks', async () => {
    for (const endpoint of ['healthz', 'livez', 'readyz']) {
      const res = await get(`/${endpoint}`);
      assert.deepEqual([res.status, res.type, res.body], [200, 'text/plain; charset=utf-8', 'ok']);
      const verbose = await get(`/${endpoint}?verbose`);
      assert.match(verbose.body, /^\[\+\]ping ok\n/);
      assert.ok(verbose.body.endsWith(`${endpoint} check passed\n`));
      assert.equal((await get(`/${endpoint}/ping`)).body, 'ok');
      assert.equal((await get(`/${endpoint}/nope`)).status, 404);
    }
    assert.match((await get('/readyz?verbose&exclude=etcd')).body, /\[\+\]etcd excluded: ok/);
  });

  it('orders versions by Kubernetes priority', () => {
    assert.deepEqual(['v1beta1', 'v1alpha1', 'v2', 'v1', 'v2beta2', 'v2beta1'].sort(compareKubeVersions), [
      'v2',
      'v1',
      'v2beta2',
      'v2beta1',
      'v1beta1',
      'v1alpha1',
    ]);
  });
});
