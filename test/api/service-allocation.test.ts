import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIPv4Cidr, parsePortRange } from '../../src/apimachinery/ipv4.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { waitFor } from '../helpers/eventually.js';

const SVC = '/api/v1/namespaces/default/services';
type Http = TestApp['http'];
type Spec = Record<string, unknown>;

const service = (name: string, spec: Spec) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec: { ports: [{ port: 80 }], ...spec },
});
const create = (http: Http, name: string, spec: Spec = {}, query = '') => http.post(`${SVC}${query}`).send(service(name, spec));
const mergePatch = (http: Http, name: string, body: unknown) =>
  http.patch(`${SVC}/${name}`).set('Content-Type', 'application/merge-patch+json').send(JSON.stringify(body));

/** The 422 with a single field cause, as kube-apiserver answers an allocation refusal. */
function assertInvalid(
  res: { status: number; body: { message: string; details: { causes: unknown[] } } },
  name: string,
  field: string,
  detail: string,
) {
  assert.equal(res.status, 422, JSON.stringify(res.body));
  assert.equal(res.body.message, `Service "${name}" is invalid: ${field}: ${detail}`);
  assert.deepEqual(res.body.details.causes, [{ reason: 'FieldValueInvalid', message: detail, field }]);
}

describe('Service cluster IP allocation', () => {
  it('hands out distinct addresses until the range is full, then answers upstream 500', async (t) => {
    // 10.0.0.0/28: 14 usable addresses, .1 kubernetes, .10 kube-dns.
    const network = { clusterIPRange: parseIPv4Cidr('10.0.0.0/28')!, nodePortRange: parsePortRange('30000-32767')! };
    const { http } = await buildTestApp(t, { serviceNetwork: network });
    const seen = new Set(['10.0.0.1', '10.0.0.10']);
    for (let i = 0; i < 12; i++) {
      const res = await create(http, `s${i}`);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const ip = res.body.spec.clusterIP as string;
      assert.match(ip, /^10\.0\.0\.(\d+)$/);
      assert.ok(!seen.has(ip), `${ip} handed out twice`);
      assert.ok(Number(ip.split('.')[3]) >= 1 && Number(ip.split('.')[3]) <= 14, ip);
      seen.add(ip);
    }
    const full = await create(http, 'one-too-many');
    assert.equal(full.status, 500);
    assert.equal(full.body.message, 'Internal error occurred: failed to allocate a serviceIP: range is full');
    assert.equal((await http.get(`${SVC}/one-too-many`)).status, 404);
  });

  it('honours a requested IP and refuses it to a second Service with the upstream 422', async (t) => {
    const { http } = await buildTestApp(t);
    const a = await create(http, 'a', { clusterIP: '10.96.0.50' });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.deepEqual([a.body.spec.clusterIP, a.body.spec.clusterIPs], ['10.96.0.50', ['10.96.0.50']]);
    assert.deepEqual([a.body.spec.ipFamilies, a.body.spec.ipFamilyPolicy], [['IPv4'], 'SingleStack']);
    const b = await create(http, 'b', { clusterIP: '10.96.0.50' });
    assertInvalid(
      b,
      'b',
      'spec.clusterIPs',
      'Invalid value: []string{"10.96.0.50"}: failed to allocate IP 10.96.0.50: provided IP is already allocated',
    );
    const kubernetes = await create(http, 'c', { clusterIPs: ['10.96.0.1'], clusterIP: '10.96.0.1' });
    assert.equal(kubernetes.status, 422, 'the kubernetes Service holds the first address');
    assert.equal((await http.get(`${SVC}/b`)).status, 404);
  });

  it('reads a requested IP as ParseIPSloppy does: leading zeros are decimal, the address held is the one they name', async (t) => {
    const { http } = await buildTestApp(t);
    const a = await create(http, 'a', { clusterIP: '0010.96.0.50' });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.deepEqual([a.body.spec.clusterIP, a.body.spec.clusterIPs], ['0010.96.0.50', ['0010.96.0.50']]);
    const b = await create(http, 'b', { clusterIP: '10.96.0.50' });
    assertInvalid(
      b,
      'b',
      'spec.clusterIPs',
      'Invalid value: []string{"10.96.0.50"}: failed to allocate IP 10.96.0.50: provided IP is already allocated',
    );
  });

  it('refuses an address outside the service CIDR, and its network and broadcast addresses', async (t) => {
    const { http } = await buildTestApp(t);
    const outside = await create(http, 'out', { clusterIP: '10.200.0.1' });
    assertInvalid(
      outside,
      'out',
      'spec.clusterIPs',
      'Invalid value: []string{"10.200.0.1"}: failed to allocate IP 10.200.0.1: the provided network does not match the current range',
    );
    const network = await create(http, 'net', { clusterIP: '10.96.0.0' });
    assertInvalid(
      network,
      'net',
      'spec.clusterIPs',
      'Invalid value: []string{"10.96.0.0"}: failed to allocate IP 10.96.0.0: provided IP 10.96.0.0 is not in the valid range',
    );
    const broadcast = await create(http, 'bc', { clusterIP: '10.111.255.255' });
    assert.equal(broadcast.status, 422);
    const v6 = await create(http, 'v6', { clusterIP: 'fd00::1' });
    assertInvalid(v6, 'v6', 'spec.clusterIPs[0]', 'Invalid value: []string{"fd00::1"}: IPv6 is not configured on this cluster');
    const garbage = await create(http, 'garbage', { clusterIP: 'ten' });
    assertInvalid(
      garbage,
      'garbage',
      'spec.clusterIPs[0]',
      'Invalid value: "ten": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    );
  });

  it('releases the address on delete, so another Service may take it', async (t) => {
    const { http } = await buildTestApp(t);
    assert.equal((await create(http, 'first', { clusterIP: '10.96.3.3' })).status, 201);
    assert.equal((await create(http, 'second', { clusterIP: '10.96.3.3' })).status, 422);
    assert.equal((await http.delete(`${SVC}/first`)).status, 200);
    const second = await create(http, 'second', { clusterIP: '10.96.3.3' });
    assert.equal(second.status, 201, JSON.stringify(second.body));
  });

  it('allocates dynamically above the static sub-range, and from it only once the rest is full', async (t) => {
    // 10.0.0.0/27: .1-.16 are the static part (.1 kubernetes, .10 kube-dns), .17-.30 the dynamic one.
    const network = { clusterIPRange: parseIPv4Cidr('10.0.0.0/27')!, nodePortRange: parsePortRange('30000-32767')! };
    const { http } = await buildTestApp(t, { serviceNetwork: network });
    const last = async (name: string) => Number(((await create(http, name)).body.spec.clusterIP as string).split('.')[3]);
    const dynamic: number[] = [];
    for (let i = 0; i < 14; i++) dynamic.push(await last(`d${i}`));
    assert.deepEqual(
      dynamic.sort((a, b) => a - b),
      Array.from({ length: 14 }, (_, i) => 17 + i),
    );
    const fallback = await last('static');
    assert.ok(fallback >= 2 && fallback <= 16 && fallback !== 10, String(fallback));
  });

  it('a dry run allocates nothing: the placeholder address, and a requested one stays free', async (t) => {
    const { http } = await buildTestApp(t);
    const any = await create(http, 'dry', {}, '?dryRun=All');
    assert.equal(any.status, 201, JSON.stringify(any.body));
    assert.equal(any.body.spec.clusterIP, '10.96.0.0');
    const asked = await create(
      http,
      'dry2',
      { clusterIP: '10.96.0.77', type: 'NodePort', ports: [{ port: 80, nodePort: 30077 }] },
      '?dryRun=All',
    );
    assert.equal(asked.status, 201);
    assert.equal((await http.get(`${SVC}/dry2`)).status, 404);
    const real = await create(http, 'real', { clusterIP: '10.96.0.77', type: 'NodePort', ports: [{ port: 80, nodePort: 30077 }] });
    assert.equal(real.status, 201, JSON.stringify(real.body));
    const nodePort = await create(http, 'dry3', { type: 'NodePort' }, '?dryRun=All');
    assert.equal(nodePort.body.spec.ports[0].nodePort, 32769);
  });

  it('headless Services get no address; a selectorless one is RequireDualStack over both families', async (t) => {
    const { http } = await buildTestApp(t);
    const headless = await create(http, 'h', { clusterIP: 'None', selector: { app: 'h' } });
    assert.equal(headless.status, 201, JSON.stringify(headless.body));
    assert.deepEqual(
      [headless.body.spec.clusterIPs, headless.body.spec.ipFamilies, headless.body.spec.ipFamilyPolicy],
      [['None'], ['IPv4'], 'SingleStack'],
    );
    const bare = await create(http, 'bare', { clusterIP: 'None' });
    assert.deepEqual([bare.body.spec.ipFamilies, bare.body.spec.ipFamilyPolicy], [['IPv4', 'IPv6'], 'RequireDualStack']);
    const dual = await create(http, 'dual', { ipFamilyPolicy: 'RequireDualStack' });
    assertInvalid(
      dual,
      'dual',
      'spec.ipFamilyPolicy',
      'Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    );
  });
});

describe('Service node port allocation', () => {
  it('honours a requested node port and refuses it when taken or out of range', async (t) => {
    const { http } = await buildTestApp(t);
    const a = await create(http, 'a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(a.body.spec.ports[0].nodePort, 30080);
    const b = await create(http, 'b', {
      type: 'NodePort',
      ports: [
        { name: 'x', port: 81 },
        { name: 'y', port: 80, nodePort: 30080 },
      ],
    });
    assertInvalid(b, 'b', 'spec.ports[1].nodePort', 'Invalid value: 30080: provided port is already allocated');
    const low = await create(http, 'low', { type: 'NodePort', ports: [{ port: 80, nodePort: 29999 }] });
    assertInvalid(
      low,
      'low',
      'spec.ports[0].nodePort',
      'Invalid value: 29999: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    assert.equal((await http.get(`${SVC}/b`)).status, 404, 'nothing half-written');
  });

  it('uses --service-node-port-range, gives TCP and UDP on one port the same node port, distinct ones otherwise', async (t) => {
    const network = { clusterIPRange: parseIPv4Cidr('10.96.0.0/12')!, nodePortRange: parsePortRange('31000-31019')! };
    const { http } = await buildTestApp(t, { serviceNetwork: network });
    const dns = await create(http, 'dns', {
      type: 'NodePort',
      ports: [
        { name: 'udp', port: 53, protocol: 'UDP' },
        { name: 'tcp', port: 53, protocol: 'TCP' },
        { name: 'metrics', port: 9153 },
      ],
    });
    assert.equal(dns.status, 201, JSON.stringify(dns.body));
    const [udp, tcp, metrics] = (dns.body.spec.ports as { nodePort: number }[]).map((p) => p.nodePort);
    assert.equal(udp, tcp);
    assert.notEqual(udp, metrics);
    for (const p of [udp, metrics]) assert.ok(p >= 31016 && p <= 31019, `${p} from the dynamic part of 31000-31019`);
    const outside = await create(http, 'outside', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
    assert.match(outside.body.message, /The range of valid ports is 31000-31019$/);
  });

  it('a type change allocates and releases: ClusterIP → NodePort → ClusterIP → ExternalName → ClusterIP', async (t) => {
    const { http } = await buildTestApp(t);
    const created = await create(http, 'web', { clusterIP: '10.96.9.9' });
    assert.equal(created.status, 201);
    const toNodePort = await mergePatch(http, 'web', { spec: { type: 'NodePort' } });
    assert.equal(toNodePort.status, 200, JSON.stringify(toNodePort.body));
    const nodePort = toNodePort.body.spec.ports[0].nodePort as number;
    assert.ok(nodePort >= 30000 && nodePort <= 32767);
    assert.equal(toNodePort.body.spec.clusterIP, '10.96.9.9', 'the cluster IP is kept');
    assert.equal((await create(http, 'thief', { type: 'NodePort', ports: [{ port: 80, nodePort }] })).status, 422);

    const toClusterIP = await mergePatch(http, 'web', { spec: { type: 'ClusterIP' } });
    assert.equal(toClusterIP.status, 200, JSON.stringify(toClusterIP.body));
    assert.equal(toClusterIP.body.spec.ports[0].nodePort, undefined);
    assert.equal(toClusterIP.body.spec.externalTrafficPolicy, undefined);
    assert.equal(
      (await create(http, 'thief', { type: 'NodePort', ports: [{ port: 80, nodePort }] })).status,
      201,
      'the node port was released',
    );

    const toExternal = await mergePatch(http, 'web', { spec: { type: 'ExternalName', externalName: 'example.com' } });
    assert.equal(toExternal.status, 200, JSON.stringify(toExternal.body));
    assert.deepEqual(
      [toExternal.body.spec.clusterIP, toExternal.body.spec.clusterIPs, toExternal.body.spec.ipFamilies],
      [undefined, undefined, undefined],
    );
    assert.equal((await create(http, 'other', { clusterIP: '10.96.9.9' })).status, 201, 'the cluster IP was released');

    const back = await mergePatch(http, 'web', { spec: { type: 'ClusterIP', externalName: null } });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.match(back.body.spec.clusterIP, /^10\.(9[6-9]|10\d|11[01])\./);
    assert.notEqual(back.body.spec.clusterIP, '10.96.9.9');
  });
});

describe('the kubernetes Service', () => {
  it('exists in default with the first address of the range, https 443, labelled component=apiserver', async (t) => {
    const network = { clusterIPRange: parseIPv4Cidr('172.20.0.0/16')!, nodePortRange: parsePortRange('30000-32767')! };
    const { http } = await buildTestApp(t, { serviceNetwork: network });
    const k = await http.get(`${SVC}/kubernetes`);
    assert.equal(k.status, 200);
    assert.deepEqual(k.body.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
    assert.deepEqual([k.body.spec.clusterIP, k.body.spec.clusterIPs], ['172.20.0.1', ['172.20.0.1']]);
    assert.deepEqual(k.body.spec.ports, [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }]);
    const dns = await http.get('/api/v1/namespaces/kube-system/services/kube-dns');
    assert.equal(dns.body.spec.clusterIP, '172.20.0.10');
  });

  it('is recreated when deleted and gets its ports back when changed, its address reserved', async (t) => {
    const { http } = await buildTestApp(t, { controllers: true });
    assert.equal((await http.delete(`${SVC}/kubernetes`)).status, 200);
    const back = await waitFor(async () => {
      const res = await http.get(`${SVC}/kubernetes`);
      assert.equal(res.status, 200);
      return res.body;
    });
    assert.equal(back.spec.clusterIP, '10.96.0.1');
    const changed = await mergePatch(http, 'kubernetes', { spec: { ports: [{ name: 'https', port: 8443, targetPort: 6443 }] } });
    assert.equal(changed.status, 200);
    await waitFor(async () => {
      const res = await http.get(`${SVC}/kubernetes`);
      assert.equal(res.body.spec.ports[0].port, 443);
    });
  });
});

describe('Service field selectors', () => {
  it('select on spec.clusterIP and spec.type, as upstream SelectableFields; other fields are refused', async (t) => {
    const { http } = await buildTestApp(t);
    assert.equal((await create(http, 'fixed', { clusterIP: '10.96.0.77', ports: [{ port: 80 }] })).status, 201);
    assert.equal((await create(http, 'np', { type: 'NodePort', ports: [{ port: 80 }] })).status, 201);
    const names = async (selector: string) =>
      (
        (await http.get(`${SVC}?fieldSelector=${encodeURIComponent(selector)}`).expect(200)).body.items as { metadata: { name: string } }[]
      ).map((s) => s.metadata.name);
    assert.deepEqual(await names('spec.clusterIP=10.96.0.77'), ['fixed']);
    assert.deepEqual(await names('spec.type=NodePort'), ['np']);
    assert.deepEqual(await names('spec.type=ClusterIP,metadata.name!=kubernetes'), ['fixed']);
    const bad = await http.get(`${SVC}?fieldSelector=spec.ports=80`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'field label not supported: spec.ports');
  });
});
