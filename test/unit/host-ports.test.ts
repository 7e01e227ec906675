import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostPortsConflict } from '../../src/controllers/scheduling/host-ports.js';
import type { StoredPod } from '../../src/resources/stored.js';

type Obj = Record<string, any>;

const port = (hostPort: number, extra: Obj = {}) => ({ containerPort: 80, hostPort, ...extra });
const pod = (ports: Obj[], spec: Obj = {}) =>
  ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', ports }], ...spec } }) as unknown as StoredPod;

describe('hostPortsConflict (NodePorts)', () => {
  it('same port and protocol conflict; protocol defaults to TCP; another protocol or port does not', () => {
    assert.equal(hostPortsConflict(pod([port(80)]), [pod([port(80, { protocol: 'TCP' })])]), true);
    assert.equal(hostPortsConflict(pod([port(80)]), [pod([port(80, { protocol: 'UDP' })])]), false);
    assert.equal(hostPortsConflict(pod([port(80)]), [pod([port(81)])]), false);
    assert.equal(hostPortsConflict(pod([{ containerPort: 80 }]), [pod([{ containerPort: 80 }])]), false, 'no hostPort, nothing bound');
    assert.equal(hostPortsConflict(pod([port(80)]), []), false);
  });
  it('host IPs overlap when equal or when either is unset or 0.0.0.0', () => {
    const at = (ip?: string) => pod([port(80, ip === undefined ? {} : { hostIP: ip })]);
    assert.equal(hostPortsConflict(at('10.0.0.1'), [at('10.0.0.2')]), false);
    assert.equal(hostPortsConflict(at('10.0.0.1'), [at('10.0.0.1')]), true);
    assert.equal(hostPortsConflict(at('10.0.0.1'), [at('0.0.0.0')]), true);
    assert.equal(hostPortsConflict(at('0.0.0.0'), [at('10.0.0.1')]), true);
    assert.equal(hostPortsConflict(at(), [at('10.0.0.1')]), true);
    assert.equal(hostPortsConflict(at('10.0.0.1'), [at()]), true);
  });
  it('sidecars (init containers with restartPolicy Always) bind their ports; other init containers do not', () => {
    const init = (restartPolicy?: string) => pod([], { initContainers: [{ name: 'i', restartPolicy, ports: [port(15000)] }] });
    assert.equal(hostPortsConflict(pod([port(15000)]), [init('Always')]), true);
    assert.equal(hostPortsConflict(init('Always'), [pod([port(15000)])]), true);
    assert.equal(hostPortsConflict(pod([port(15000)]), [init()]), false);
  });
});
