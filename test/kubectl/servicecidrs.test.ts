/**
 * ServiceCIDRs and IPAddresses with the real kubectl: `kubectl get servicecidrs,ipaddresses` prints
 * the default `kubernetes` ServiceCIDR (NAME CIDRS AGE) and one IPAddress per Service cluster IP
 * (NAME PARENTREF: upstream's table has no AGE column), which follow Services as they come and go.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '../helpers/eventually.js';
import { kubectlOk, kubectlOrSkip, useServer } from '../helpers/kubectl.js';

const AGE = '(?:\\d+[smhdy])+';

/** The tables of a `kubectl get a,b`: each a header and its rows, split on the blank line between them. */
function tables(stdout: string): { header: string; rows: string[] }[] {
  return stdout
    .trimEnd()
    .split(/\n\n+/)
    .map((block) => {
      const [header = '', ...rows] = block.split('\n');
      return { header, rows };
    });
}

describe('kubectl get servicecidrs,ipaddresses', () => {
  const server = useServer({ nodes: 0 });

  it('prints the default ServiceCIDR and the IPAddresses of the Services, following a new Service and its deletion', async (t) => {
    if (!kubectlOrSkip(t)) return;
    const [cidrs, ips] = tables((await kubectlOk(server, ['get', 'servicecidrs,ipaddresses'])).stdout);
    assert.match(cidrs.header, /^NAME\s+CIDRS\s+AGE$/);
    assert.equal(cidrs.rows.length, 1, cidrs.rows.join('\n'));
    assert.match(cidrs.rows[0], new RegExp(`^servicecidr\\.networking\\.k8s\\.io/kubernetes\\s+10\\.96\\.0\\.0/12\\s+${AGE}$`));
    assert.match(ips.header, /^NAME\s+PARENTREF$/);
    assert.deepEqual(
      ips.rows.map((r) => r.trim().split(/\s+/)),
      [
        ['ipaddress.networking.k8s.io/10.96.0.1', 'services/default/kubernetes'],
        ['ipaddress.networking.k8s.io/10.96.0.10', 'services/kube-system/kube-dns'],
      ],
    );

    await kubectlOk(server, ['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '--clusterip=10.96.0.50']);
    const after = (await kubectlOk(server, ['get', 'ipaddresses'])).stdout;
    assert.match(after, /^10\.96\.0\.50\s+services\/default\/web$/m);
    await kubectlOk(server, ['delete', 'service', 'web']);
    const gone = (await kubectlOk(server, ['get', 'ipaddresses', '-o', 'name'])).stdout;
    assert.equal(gone, 'ipaddress.networking.k8s.io/10.96.0.1\nipaddress.networking.k8s.io/10.96.0.10\n');
  });

  it('get servicecidr -o yaml shows the finalizer and the Ready condition', async (t) => {
    if (!kubectlOrSkip(t)) return;
    // The ServiceCIDR controller adds the finalizer in its own time.
    await waitFor(async () => {
      const finalizers = await kubectlOk(server, ['get', 'servicecidr', 'kubernetes', '-o', 'jsonpath={.metadata.finalizers}']);
      assert.equal(finalizers.stdout, '["networking.k8s.io/service-cidr-finalizer"]');
    });
    const ready = await kubectlOk(server, [
      'get',
      'servicecidr',
      'kubernetes',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
    ]);
    assert.equal(ready.stdout, 'True');
  });
});
