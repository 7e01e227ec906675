/**
 * `kubectl get --raw /metrics` reads kube-apiserver's metrics from kubemock: its own requests show
 * in apiserver_request_total with kubectl's verb, resource and code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubectlOk, kubectlOrSkip, runKubectl, useServer } from '../helpers/kubectl.js';
import { parseExposition, valueOf } from '../helpers/prometheus-text.js';

describe('kubectl get --raw /metrics', () => {
  const server = useServer({ nodes: 1, app: { controllers: false } });

  it('answers the Prometheus text with the requests kubectl made', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const missing = await runKubectl(server, ['get', 'pod', 'nothing-here', '-n', 'default']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NotFound|not found/);
    await kubectlOk(server, ['get', 'nodes']);
    const { stdout } = await kubectlOk(server, ['get', '--raw', '/metrics']);
    const m = parseExposition(stdout);
    assert.equal(m.types.get('apiserver_request_total'), 'counter');
    const request = { group: '', version: 'v1', component: 'apiserver', dry_run: '', subresource: '' };
    assert.equal(valueOf(m, 'apiserver_request_total', { ...request, verb: 'GET', resource: 'pods', scope: 'resource', code: '404' }), 1);
    assert.equal(valueOf(m, 'apiserver_request_total', { ...request, verb: 'LIST', resource: 'nodes', scope: 'cluster', code: '200' }), 1);
    assert.equal(valueOf(m, 'apiserver_storage_objects', { resource: 'nodes' }), 1);
    assert.equal(valueOf(m, 'kubemock_simulated_nodes', { reachable: 'true' }), 1);
  });
});
