/**
 * Service allocation with the real kubectl: a requested cluster IP or node port already held is
 * refused with the error kubectl prints for the server's 422 (`create service` prefixes it), a dry run allocates nothing, and
 * `get svc` lists the kubernetes Service pointing at the port the server listens on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';

describe('kubectl and Service allocation', () => {
  const server = useServer({ nodes: 0 });

  it('create service clusterip --clusterip honours a free address and refuses a taken one', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const a = await kubectlOk(server, ['create', 'service', 'clusterip', 'a', '--tcp=80:8080', '--clusterip=10.96.0.50']);
    assert.equal(a.stdout, 'service/a created\n');
    const b = await runKubectl(server, ['create', 'service', 'clusterip', 'b', '--tcp=80:8080', '--clusterip=10.96.0.50']);
    assert.equal(b.code, 1);
    assert.equal(
      b.stderr.trim(),
      'error: failed to create ClusterIP service: Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.50"}: failed to allocate IP 10.96.0.50: provided IP is already allocated',
    );
    const ip = await kubectlOk(server, ['get', 'svc', 'a', '-o', 'jsonpath={.spec.clusterIP}']);
    assert.equal(ip.stdout, '10.96.0.50');
  });

  it('create service nodeport --node-port refuses a port in use and one out of range', async (t) => {
    if (!kubectlOrSkip(t)) return;
    await kubectlOk(server, ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080']);
    const taken = await runKubectl(server, ['create', 'service', 'nodeport', 'np2', '--tcp=80:8080', '--node-port=30080']);
    assert.equal(taken.code, 1);
    assert.equal(
      taken.stderr.trim(),
      'error: failed to create NodePort service: Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
    const low = await runKubectl(server, ['create', 'service', 'nodeport', 'np3', '--tcp=80:8080', '--node-port=8080']);
    assert.equal(
      low.stderr.trim(),
      'error: failed to create NodePort service: Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
  });

  it('a server-side dry run answers the placeholder address and allocates nothing', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const dry = await kubectlOk(server, [
      'create',
      'service',
      'clusterip',
      'dry',
      '--tcp=80',
      '--dry-run=server',
      '-o',
      'jsonpath={.spec.clusterIP}',
    ]);
    assert.equal(dry.stdout, '10.96.0.0');
    const missing = await runKubectl(server, ['get', 'svc', 'dry']);
    assert.equal(missing.stderr.trim(), 'Error from server (NotFound): services "dry" not found');
  });

  it('get svc lists the kubernetes Service at 10.96.0.1, https 443 to the port the server listens on', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const { stdout } = await kubectlOk(server, ['get', 'svc', 'kubernetes']);
    assert.match(stdout, /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+\S+\n$/m);
    const target = await kubectlOk(server, ['get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.ports[0].targetPort}']);
    assert.equal(target.stdout, new URL(server.url).port);
  });
});
