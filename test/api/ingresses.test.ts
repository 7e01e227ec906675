/**
 * networking.k8s.io/v1 Ingress and IngressClass as kube-apiserver 1.33 serves them: Ingress
 * namespaced with short name ing and a /status subresource, IngressClass cluster-scoped; their
 * validation (pkg/apis/networking/validation) with upstream's paths and messages; generation moving
 * with the spec; the status reset on create and kept by spec writes; the DefaultIngressClass
 * admission plugin; the NAME CLASS HOSTS ADDRESS PORTS AGE and NAME CONTROLLER PARAMETERS AGE tables.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/build-app.js';

type Obj = Record<string, any>;
const GROUP = '/apis/networking.k8s.io/v1';
const INGS = `${GROUP}/namespaces/default/ingresses`;
const CLASSES = `${GROUP}/ingressclasses`;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const WILDCARD =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const backend = (name = 'web', port: Obj = { number: 80 }): Obj => ({ service: { name, port } });
const route = (path = '/', pathType: string | undefined = 'Prefix', to: Obj = backend()): Obj => ({ path, pathType, backend: to });
const ingress = (name: string, spec: Obj, metadata: Obj = {}): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, ...metadata },
  spec,
});
const ingressClass = (name: string, spec: Obj = { controller: 'example.com/ingress' }, metadata: Obj = {}): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name, ...metadata },
  spec,
});
const DEFAULT = { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } };

/** The causes of a 422, as [field, message] pairs. */
function causes(res: { status: number; body: Obj }): [string, string][] {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.reason, 'Invalid');
  return res.body.details.causes.map((c: Obj) => [c.field, c.message]);
}

describe('ingresses and ingressclasses', () => {
  it('discovery: ingresses (ing, with /status) and ingressclasses, neither in a category', async (t) => {
    const { http } = await buildTestApp(t);
    const list = await http.get(GROUP).expect(200);
    const found = (list.body.resources as Obj[]).filter((r) => r.name.startsWith('ingress'));
    assert.deepEqual(found, [
      {
        name: 'ingressclasses',
        singularName: 'ingressclass',
        namespaced: false,
        kind: 'IngressClass',
        verbs: ALL_VERBS,
        storageVersionHash: 'l/iqIbDgFyQ=',
      },
      {
        name: 'ingresses',
        singularName: 'ingress',
        namespaced: true,
        kind: 'Ingress',
        verbs: ALL_VERBS,
        shortNames: ['ing'],
        storageVersionHash: '39NQlfNR+bo=',
      },
      { name: 'ingresses/status', singularName: '', namespaced: true, kind: 'Ingress', verbs: ['get', 'patch', 'update'] },
    ]);
  });

  it('an Ingress is created with an empty status and generation 1; spec writes keep the status and move the generation', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await http.post(INGS).send({
      ...ingress('web', {
        rules: [{ host: 'a.example.com', http: { paths: [route()] } }],
        tls: [{ hosts: ['a.example.com'], secretName: 'tls' }],
      }),
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
    });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(Object.keys(created.body), ['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    assert.deepEqual(Object.keys(created.body.spec), ['tls', 'rules']);
    assert.deepEqual(created.body.status, { loadBalancer: {} }, 'a create cannot set the status');
    assert.equal(created.body.metadata.generation, 1);
    assert.equal(created.body.spec.ingressClassName, undefined, 'no default class: none is set');

    const status = await http.put(`${INGS}/web/status`).send({
      ...created.body,
      spec: { defaultBackend: backend('other') },
      status: { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { hostname: 'lb.example.com' }, { ip: '10.0.0.1' }] } },
    });
    assert.equal(status.status, 200, status.text);
    assert.deepEqual(status.body.spec, created.body.spec, '/status keeps the spec');
    assert.equal(status.body.metadata.generation, 1);

    const merge = (body: Obj) => http.patch(`${INGS}/web`).set('content-type', 'application/merge-patch+json').send(body);
    const labelled = await merge({ metadata: { labels: { a: 'b' } }, status: { loadBalancer: { ingress: [] } } });
    assert.equal(labelled.body.metadata.generation, 1);
    assert.deepEqual(labelled.body.status, status.body.status, 'the main resource keeps the status');
    const changed = await merge({ spec: { tls: null } });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.metadata.generation, 2);

    const table = await http.get(INGS).set('Accept', TABLE).expect(200);
    assert.deepEqual(
      table.body.columnDefinitions.map((c: Obj) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Class', 'string', '', 0],
        ['Hosts', 'string', '', 0],
        ['Address', 'string', '', 0],
        ['Ports', 'string', '', 0],
        ['Age', 'string', '', 0],
      ],
    );
    assert.deepEqual(table.body.rows[0].cells.slice(0, 5), ['web', '<none>', 'a.example.com', '10.0.0.1,10.0.0.2,lb.example.com', '80']);
  });

  it('table cells: the class, three hosts then "+ N more...", * without hosts, "80, 443" with TLS', async (t) => {
    const { http } = await buildTestApp(t);
    const paths = { http: { paths: [route()] } };
    const rules = ['a.example.com', 'b.example.com', '', 'd.example.com', 'e.example.com'].map((host) => ({ host, ...paths }));
    await http
      .post(INGS)
      .send(ingress('many', { ingressClassName: 'nginx', rules, tls: [{ secretName: 'tls' }] }))
      .expect(201);
    await http
      .post(INGS)
      .send(ingress('nohost', { defaultBackend: backend() }))
      .expect(201);
    const table = await http.get(INGS).set('Accept', TABLE).expect(200);
    assert.deepEqual(
      table.body.rows.map((r: Obj) => r.cells.slice(0, 5)),
      [
        ['many', 'nginx', 'a.example.com,b.example.com,d.example.com + 2 more...', '', '80, 443'],
        ['nohost', '<none>', '*', '', '80'],
      ],
    );
  });

  it('the default IngressClass is given to new Ingresses that name no class; the newest default wins; updates are left alone', async (t) => {
    const { http } = await buildTestApp(t);
    const spec = { defaultBackend: backend() };
    await http.post(INGS).send(ingress('before', spec)).expect(201);
    await http.post(CLASSES).send(ingressClass('plain')).expect(201);
    await http
      .post(CLASSES)
      .send(ingressClass('b-default', undefined, DEFAULT))
      .expect(201);
    const defaulted = await http.post(INGS).send(ingress('one', spec)).expect(201);
    assert.equal(defaulted.body.spec.ingressClassName, 'b-default');
    assert.deepEqual(Object.keys(defaulted.body.spec), ['ingressClassName', 'defaultBackend']);
    const named = await http
      .post(INGS)
      .send(ingress('named', { ...spec, ingressClassName: 'plain' }))
      .expect(201);
    assert.equal(named.body.spec.ingressClassName, 'plain');
    const annotated = await http
      .post(INGS)
      .send(ingress('annotated', spec, { annotations: { 'kubernetes.io/ingress.class': 'legacy' } }))
      .expect(201);
    assert.equal(annotated.body.spec.ingressClassName, undefined, 'the class annotation counts as naming one');
    const updated = await http
      .patch(`${INGS}/before`)
      .set('content-type', 'application/merge-patch+json')
      .send({ metadata: { labels: { touched: 'yes' } } })
      .expect(200);
    assert.equal(updated.body.spec.ingressClassName, undefined, 'the plugin acts on creates only');

    // Two defaults: the newest, and between those created in the same second, the first name.
    await http
      .post(CLASSES)
      .send(ingressClass('a-default', undefined, DEFAULT))
      .expect(201);
    const two = await http.post(INGS).send(ingress('two', spec)).expect(201);
    assert.equal(two.body.spec.ingressClassName, 'a-default');
    const dry = await http.post(`${INGS}?dryRun=All`).send(ingress('dry', spec)).expect(201);
    assert.equal(dry.body.spec.ingressClassName, 'a-default');
  });

  it('spec validation: rules or a default backend, hosts, paths by pathType, backends, TLS, the class name', async (t) => {
    const { http } = await buildTestApp(t);
    const empty = await http.post(INGS).send(ingress('empty', {}));
    assert.deepEqual(causes(empty), [
      ['spec', 'Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified'],
    ]);
    assert.equal(
      empty.body.message,
      'Ingress.networking.k8s.io "empty" is invalid: spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified',
    );

    const res = await http.post(INGS).send(
      ingress('bad', {
        ingressClassName: 'Nginx',
        defaultBackend: {},
        tls: [{ hosts: ['*.example.com', 'Bad_Host'], secretName: 'Bad' }],
        rules: [
          {
            host: '10.0.0.1',
            http: {
              paths: [
                { path: '/', backend: backend() },
                route('api'),
                route('/a//b/..', 'Exact'),
                route('relative', 'ImplementationSpecific'),
                route('/', 'Regex'),
                route('/', 'Prefix', backend('Web', { name: 'http', number: 80 })),
                route('/', 'Prefix', backend('web', {})),
                route('/', 'Prefix', backend('web', { number: 70000 })),
                route('/', 'Prefix', { ...backend(), resource: { kind: 'Bucket', name: 'b' } }),
                route('/', 'Prefix', { resource: { apiGroup: 'Example.com', kind: '', name: 'a/b' } }),
              ],
            },
          },
          { host: 'foo.*.example.com', http: { paths: [] } },
          { host: '*.example.com', http: { paths: [route('', 'ImplementationSpecific')] } },
        ],
      }),
    );
    const p = 'spec.rules[0].http.paths';
    assert.deepEqual(causes(res), [
      ['spec.defaultBackend', 'Invalid value: "": resource or service backend is required'],
      ['spec.rules[0].host', 'Invalid value: "10.0.0.1": must be a DNS name, not an IP address'],
      [`${p}[0].pathType`, 'Required value: pathType must be specified'],
      [`${p}[1].path`, 'Invalid value: "api": must be an absolute path'],
      [`${p}[2].path`, `Invalid value: "/a//b/..": must not contain '//'`],
      [`${p}[2].path`, `Invalid value: "/a//b/..": cannot end with '/..'`],
      [`${p}[3].path`, 'Invalid value: "relative": must be an absolute path'],
      [`${p}[4].pathType`, 'Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"'],
      [`${p}[5].backend.service.name`, `Invalid value: "Web": ${DNS1035}`],
      [`${p}[5].backend`, 'Invalid value: "": cannot set both port name & port number'],
      [`${p}[6].backend`, 'Required value: port name or number is required'],
      [`${p}[7].backend.service.port.number`, 'Invalid value: 70000: must be between 1 and 65535, inclusive'],
      [`${p}[8].backend`, 'Invalid value: "": cannot set both resource and service backends'],
      [`${p}[9].backend.resource.apiGroup`, `Invalid value: "Example.com": ${SUBDOMAIN}`],
      [`${p}[9].backend.resource.kind`, 'Required value'],
      [`${p}[9].backend.resource.name`, `Invalid value: "a/b": may not contain '/'`],
      ['spec.rules[1].host', `Invalid value: "foo.*.example.com": ${WILDCARD}`],
      ['spec.rules[1].http.paths', 'Required value'],
      ['spec.tls[0].hosts[1]', `Invalid value: "Bad_Host": ${SUBDOMAIN}`],
      ['spec.tls[0].secretName', `Invalid value: "Bad": ${SUBDOMAIN}`],
      ['spec.ingressClassName', `Invalid value: "Nginx": ${SUBDOMAIN}`],
    ]);
  });

  it('on create, the kubernetes.io/ingress.class annotation must agree with ingressClassName', async (t) => {
    const { http } = await buildTestApp(t);
    const res = await http
      .post(INGS)
      .send(ingress('both', { ingressClassName: 'a', defaultBackend: backend() }, { annotations: { 'kubernetes.io/ingress.class': 'b' } }));
    assert.deepEqual(causes(res), [
      ['annotations.kubernetes.io/ingress.class', 'Invalid value: "b": must match `ingressClassName` when both are specified'],
    ]);
    const same = ingress(
      'same',
      { ingressClassName: 'a', defaultBackend: backend() },
      { annotations: { 'kubernetes.io/ingress.class': 'a' } },
    );
    assert.equal((await http.post(INGS).send(same)).status, 201);
  });

  it('/status: load balancer IPs valid (legacy reading) and hostnames DNS names, not IPs', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await http
      .post(INGS)
      .send(ingress('lb', { defaultBackend: backend() }))
      .expect(201);
    const put = (lb: Obj) => http.put(`${INGS}/lb/status`).send({ ...created.body, status: { loadBalancer: lb } });
    const bad = await put({ ingress: [{ ip: '10.0.0.300' }, { hostname: '1.2.3.4' }, { hostname: 'LB.example.com' }] });
    assert.deepEqual(causes(bad), [
      ['status.loadBalancer.ingress[0].ip', 'Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
      ['status.loadBalancer.ingress[1].hostname', 'Invalid value: "1.2.3.4": must be a DNS name, not an IP address'],
      ['status.loadBalancer.ingress[2].hostname', `Invalid value: "LB.example.com": ${SUBDOMAIN}`],
    ]);
    const good = await put({ ingress: [{ ip: '010.0.0.1', ports: [{ port: 443, protocol: 'TCP' }] }] });
    assert.equal(good.status, 200, good.text);
    assert.deepEqual(good.body.status.loadBalancer.ingress, [{ ip: '010.0.0.1', ports: [{ port: 443, protocol: 'TCP' }] }]);
  });

  it('IngressClass: defaults the parameters scope to Cluster; generation moves with the spec; the controller is immutable', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await http.post(CLASSES).send(
      ingressClass('nginx', {
        parameters: { name: 'lb', kind: 'LBConfig', apiGroup: 'k8s.example.com' },
        controller: 'k8s.io/ingress-nginx',
      }),
    );
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.spec, {
      controller: 'k8s.io/ingress-nginx',
      parameters: { apiGroup: 'k8s.example.com', kind: 'LBConfig', name: 'lb', scope: 'Cluster' },
    });
    assert.equal(created.body.metadata.namespace, undefined);
    assert.equal(created.body.metadata.generation, 1);
    const merge = (body: Obj) => http.patch(`${CLASSES}/nginx`).set('content-type', 'application/merge-patch+json').send(body);
    const moved = await merge({ spec: { parameters: { name: 'lb2' } } });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.metadata.generation, 2);
    assert.deepEqual(causes(await merge({ spec: { controller: 'example.com/other' } })), [
      ['spec.controller', 'Invalid value: "example.com/other": field is immutable'],
    ]);

    await http.post(CLASSES).send(ingressClass('plain')).expect(201);
    const table = await http.get(CLASSES).set('Accept', TABLE).expect(200);
    assert.deepEqual(
      table.body.columnDefinitions.map((c: Obj) => c.name),
      ['Name', 'Controller', 'Parameters', 'Age'],
    );
    assert.deepEqual(
      table.body.rows.map((r: Obj) => r.cells.slice(0, 3)),
      [
        ['nginx', 'k8s.io/ingress-nginx', 'LBConfig.k8s.example.com/lb2'],
        ['plain', 'example.com/ingress', '<none>'],
      ],
    );
  });

  it('IngressClass validation: a domain-prefixed controller of at most 250 bytes, parameters by kind, name and scope', async (t) => {
    const { http } = await buildTestApp(t);
    const post = (name: string, spec: Obj) => http.post(CLASSES).send(ingressClass(name, spec));
    assert.deepEqual(causes(await post('none', {})), [['spec.controller', 'Required value']]);
    assert.deepEqual(causes(await post('bare', { controller: 'nginx' })), [
      ['spec.controller', 'Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")'],
    ]);
    assert.deepEqual(causes(await post('host', { controller: 'Example.com/a b' })), [
      ['spec.controller', `Invalid value: "Example.com": ${SUBDOMAIN}`],
      ['spec.controller', `Invalid value: "a b": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')`],
    ]);
    assert.deepEqual(causes(await post('long', { controller: `example.com/${'a'.repeat(239)}` })), [
      ['spec.controller', 'Too long: may not be more than 250 bytes'],
    ]);
    assert.equal((await post('max', { controller: `example.com/${'a'.repeat(238)}` })).status, 201);

    const params = (parameters: Obj) => post('params', { controller: 'example.com/x', parameters });
    assert.deepEqual(causes(await params({ kind: '', name: 'a/b', scope: 'Namespace' })), [
      ['spec.parameters.kind', 'Required value'],
      ['spec.parameters.name', `Invalid value: "a/b": may not contain '/'`],
      ['spec.parameters.namespace', "Required value: `parameters.scope` is set to 'Namespace'"],
    ]);
    assert.deepEqual(causes(await params({ kind: 'K', name: 'n', scope: 'Global' })), [
      ['spec.parameters.scope', 'Unsupported value: "Global": supported values: "Cluster", "Namespace"'],
    ]);
    assert.deepEqual(causes(await params({ kind: 'K', name: 'n', scope: 'Cluster', namespace: 'x' })), [
      ['spec.parameters.namespace', "Forbidden: `parameters.scope` is set to 'Cluster'"],
    ]);
    assert.deepEqual(
      causes(await params({ kind: 'K', name: 'n', scope: 'Namespace', namespace: 'Bad.Ns' })).map(([f]) => f),
      ['spec.parameters.namespace'],
    );
    assert.equal((await params({ kind: 'K', name: 'n', scope: 'Namespace', namespace: 'infra' })).status, 201);
  });
});
