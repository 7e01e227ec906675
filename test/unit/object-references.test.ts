import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  containerConfigError,
  failedMounts,
  referencedObjects,
  volumeSetUpError,
  type KeyedObject,
} from '../../src/kubelet/object-references.js';
import type { StoredPod } from '../../src/resources/stored.js';

type Obj = Record<string, any>;

const lookup = (configMaps: Record<string, KeyedObject> = {}, secrets: Record<string, KeyedObject> = {}) => ({
  configMap: (name: string) => configMaps[name],
  secret: (name: string) => secrets[name],
});

const pod = (spec: Obj) => ({ metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [], ...spec } }) as unknown as StoredPod;

describe('volumeSetUpError', () => {
  it('names the missing ConfigMap or Secret as the kubelet managers do (singular resource)', () => {
    assert.equal(volumeSetUpError({ name: 'v', configMap: { name: 'cm' } }, lookup()), 'configmap "cm" not found');
    assert.equal(volumeSetUpError({ name: 'v', secret: { secretName: 's' } }, lookup()), 'secret "s" not found');
    assert.equal(volumeSetUpError({ name: 'v', emptyDir: {} }, lookup()), undefined);
  });
  it('a key in items must be in data or binaryData (ConfigMap) or data (Secret), unless optional', () => {
    const objects = lookup({ cm: { data: { a: '' }, binaryData: { b: '' } } }, { s: { data: { a: '' } } });
    const items = (...keys: string[]) => keys.map((key) => ({ key, path: key }));
    assert.equal(volumeSetUpError({ name: 'v', configMap: { name: 'cm', items: items('a', 'b') } }, objects), undefined);
    assert.equal(
      volumeSetUpError({ name: 'v', configMap: { name: 'cm', items: items('a', 'c', 'd') } }, objects),
      'configmap references non-existent config key: c',
    );
    assert.equal(volumeSetUpError({ name: 'v', configMap: { name: 'cm', items: items('c'), optional: true } }, objects), undefined);
    assert.equal(
      volumeSetUpError({ name: 'v', secret: { secretName: 's', items: items('z') } }, objects),
      'references non-existent secret key: z',
    );
    assert.equal(volumeSetUpError({ name: 'v', secret: { secretName: 'gone', optional: true } }, objects), undefined);
  });
  it('a projected volume aggregates its sources (one error as is, several in brackets, each once)', () => {
    const projected = (...sources: Obj[]) => ({ name: 'v', projected: { sources } });
    const token = { serviceAccountToken: { path: 'token' } };
    const downward = { downwardAPI: { items: [] } };
    assert.equal(volumeSetUpError(projected(token, downward), lookup()), undefined);
    assert.equal(volumeSetUpError(projected(token, { configMap: { name: 'ca' } }), lookup()), 'configmap "ca" not found');
    assert.equal(
      volumeSetUpError(projected({ configMap: { name: 'ca' } }, { secret: { name: 's' } }, { configMap: { name: 'ca' } }), lookup()),
      '[configmap "ca" not found, secret "s" not found]',
    );
    assert.equal(volumeSetUpError(projected({ configMap: { name: 'ca', optional: true } }), lookup()), undefined);
  });
});

describe('failedMounts', () => {
  it('only volumes a container mounts or uses as a device, in spec order, with the FailedMount message', () => {
    const p = pod({
      initContainers: [{ name: 'i', volumeMounts: [{ name: 'b', mountPath: '/b' }] }],
      containers: [{ name: 'c', volumeMounts: [{ name: 'a', mountPath: '/a' }] }],
      volumes: [
        { name: 'a', configMap: { name: 'x' } },
        { name: 'unused', configMap: { name: 'y' } },
        { name: 'b', secret: { secretName: 'z' } },
      ],
    });
    assert.deepEqual(failedMounts(p, lookup()), [
      { volume: 'a', message: 'MountVolume.SetUp failed for volume "a" : configmap "x" not found' },
      { volume: 'b', message: 'MountVolume.SetUp failed for volume "b" : secret "z" not found' },
    ]);
    assert.deepEqual(failedMounts(p, lookup({ x: {} }, { z: {} })), []);
  });
});

describe('containerConfigError', () => {
  const container = (c: Obj) => ({ name: 'c', ...c });
  it('envFrom first, then env in order; the first failure only', () => {
    const c = container({
      envFrom: [{ secretRef: { name: 'all' } }],
      env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }],
    });
    assert.equal(containerConfigError(pod({}), c, lookup()), 'secret "all" not found');
    assert.equal(containerConfigError(pod({}), c, lookup({}, { all: {} })), 'configmap "cm" not found');
    assert.equal(
      containerConfigError(pod({}), c, lookup({ cm: { binaryData: { k: '' } } }, { all: {} })),
      "couldn't find key k in ConfigMap ns/cm",
    );
    assert.equal(containerConfigError(pod({}), c, lookup({ cm: { data: { k: '' } } }, { all: {} })), undefined);
  });
  it('secretKeyRef names the Secret and key; optional refs never fail', () => {
    const ref = (optional?: boolean) =>
      container({
        env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 's', key: 'pw', optional } } }],
        envFrom: [{ configMapRef: { name: 'x', optional } }],
      });
    assert.equal(containerConfigError(pod({}), ref(), lookup({ x: {} }, { s: { data: {} } })), "couldn't find key pw in Secret ns/s");
    assert.equal(containerConfigError(pod({}), ref(true), lookup()), undefined);
    assert.equal(containerConfigError(pod({}), ref(true), lookup({}, { s: { data: {} } })), undefined);
  });
});

describe('referencedObjects', () => {
  it('every ConfigMap and Secret named by volumes, projected sources, envFrom and env, once', () => {
    const spec = pod({
      initContainers: [{ name: 'i', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's1', key: 'k' } } }] }],
      containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'c1' } }], env: [{ name: 'B', value: 'x' }] }],
      volumes: [
        { name: 'a', configMap: { name: 'c1' } },
        {
          name: 'b',
          projected: { sources: [{ secret: { name: 's2' } }, { configMap: { name: 'c2' } }, { serviceAccountToken: { path: 't' } }] },
        },
        { name: 'e', emptyDir: {} },
      ],
    }).spec;
    assert.deepEqual(referencedObjects(spec).sort(), ['configmaps/c1', 'configmaps/c2', 'secrets/s1', 'secrets/s2']);
  });
});
